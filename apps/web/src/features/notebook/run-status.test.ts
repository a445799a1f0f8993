import type { CellRun } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { formatDuration, kernelStatusView, promptLabel, runLine } from './run-status';

const run = (over: Partial<CellRun>): CellRun => ({
  runId: 'r1',
  state: 'ok',
  by: { id: 'u1', name: 'Ada' },
  queuedAt: '2026-11-29T10:00:00.000Z',
  startedAt: '2026-11-29T10:00:01.000Z',
  endedAt: '2026-11-29T10:00:04.200Z',
  executionCount: 3,
  input: null,
  ...over,
});

describe('run status', () => {
  it('labels the prompt like Jupyter', () => {
    expect(promptLabel(null, null)).toBe('[ ]');
    expect(promptLabel(7, null)).toBe('[7]');
    expect(promptLabel(null, run({}))).toBe('[3]');
    expect(promptLabel(7, run({ state: 'running' }))).toBe('[*]');
    expect(promptLabel(7, run({ state: 'queued' }))).toBe('[*]');
  });

  it('says who ran a cell and how long it took, with a live time while it runs', () => {
    expect(runLine(run({}), 0)).toBe('ran by Ada · 3.2 s');
    expect(runLine(run({ state: 'queued', startedAt: null, endedAt: null }), 0)).toBe('queued by Ada');
    const now = Date.parse('2026-11-29T10:00:02.500Z');
    expect(runLine(run({ state: 'running', endedAt: null }), now)).toBe('running · Ada · 1.5 s');
    expect(runLine(run({ state: 'error' }), 0)).toBe('failed · ran by Ada · 3.2 s');
    expect(runLine(null, 0)).toBeNull();
  });

  it('formats durations for people', () => {
    expect(formatDuration(420)).toBe('0.4 s');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
  });

  it('offers start only without a live kernel', () => {
    expect(kernelStatusView(null)).toMatchObject({ label: 'No kernel', canStart: true, hasKernel: false });
    const busy = { status: 'busy', spec: null, message: null, startedAt: null, startedBy: null } as const;
    expect(kernelStatusView(busy)).toMatchObject({ tone: 'warning', canStart: false, hasKernel: true });
    expect(kernelStatusView({ ...busy, status: 'failed' })).toMatchObject({ tone: 'danger', canStart: true });
  });
});
