import type { TerminalInfo } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { followTerminalList, nextActiveTab, toTab } from './terminal-tabs';

const info = (id: string, overrides: Partial<TerminalInfo> = {}): TerminalInfo => ({
  id,
  name: `Terminal ${id}`,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'u1',
  cols: 80,
  rows: 24,
  attached: [],
  exitCode: null,
  ...overrides,
});

describe('followTerminalList', () => {
  it('adds, renames and drops tabs to match the list, keeping each shell title', () => {
    const tabs = [{ ...toTab(info('a')), title: 'vim' }, toTab(info('b'))];
    const ada = { userId: 'u1', name: 'Ada', canWrite: true };
    const next = followTerminalList(tabs, [info('a', { name: 'logs', attached: [ada] }), info('c')]);
    expect(next.map((tab) => tab.info.id)).toEqual(['a', 'c']);
    expect(next[0]).toMatchObject({ title: 'vim', attached: [ada], info: { name: 'logs' } });
    expect(next[1]).toEqual(toTab(info('c')));
  });

  it('takes the exit code from the list, or keeps one the socket reported first', () => {
    const exitedHere = { ...toTab(info('a')), exited: 1 };
    expect(followTerminalList([exitedHere], [info('a')])[0]?.exited).toBe(1);
    expect(followTerminalList([toTab(info('a'))], [info('a', { exitCode: 2 })])[0]?.exited).toBe(2);
  });
});

describe('nextActiveTab', () => {
  it('keeps the active tab while it exists', () => {
    expect(nextActiveTab(['a', 'b'], ['b', 'a', 'c'], 'a')).toBe('a');
  });

  it('moves to the next tab when the active one closes, or the previous at the end', () => {
    expect(nextActiveTab(['a', 'b', 'c'], ['a', 'c'], 'b')).toBe('c');
    expect(nextActiveTab(['a', 'b', 'c'], ['a', 'b'], 'c')).toBe('b');
    expect(nextActiveTab(['a', 'b', 'c', 'd'], ['a', 'd'], 'b')).toBe('d');
  });

  it('picks the first tab when nothing was active, and none when no tabs are left', () => {
    expect(nextActiveTab([], ['a', 'b'], null)).toBe('a');
    expect(nextActiveTab(['a'], [], 'a')).toBeNull();
  });
});
