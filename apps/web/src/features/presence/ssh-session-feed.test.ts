import type { SshSessionInfo } from '@studios/protocol';
import { describe, expect, it, vi } from 'vitest';
import { SshSessionFeed } from './ssh-session-feed';

const session = (id: string): SshSessionInfo => ({
  id,
  userId: 'u1',
  name: 'Ada',
  client: 'OpenSSH_9.6',
  connectedAt: '2026-03-10T11:00:00Z',
  channels: { shell: 1, exec: 0, sftp: 0, forward: 0 },
});

describe('SshSessionFeed', () => {
  it('takes the answer when no event came meanwhile, and tells subscribers', () => {
    const feed = new SshSessionFeed();
    const listener = vi.fn();
    feed.subscribe(listener);
    expect(feed.answer(feed.ask(), [session('a')])).toBe(true);
    expect(feed.getSnapshot().map((item) => item.id)).toEqual(['a']);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('drops an answer that an event overtook', () => {
    const feed = new SshSessionFeed();
    const asked = feed.ask();
    feed.push([session('new')]);
    expect(feed.answer(asked, [session('old')])).toBe(false);
    expect(feed.getSnapshot().map((item) => item.id)).toEqual(['new']);
  });

  it('lets each event replace the whole list', () => {
    const feed = new SshSessionFeed();
    feed.push([session('a'), session('b')]);
    feed.push([]);
    expect(feed.getSnapshot()).toEqual([]);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const feed = new SshSessionFeed();
    const listener = vi.fn();
    const unsubscribe = feed.subscribe(listener);
    unsubscribe();
    feed.push([session('a')]);
    expect(listener).not.toHaveBeenCalled();
  });
});
