import type { StudioEvent } from '@studios/protocol';
import { FakeClock, waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { StudioEventHub } from '../../services/event-hub';
import { SshSessionRegistry } from './ssh-session-registry';

describe('SshSessionRegistry', () => {
  const setUp = () => {
    const events = new StudioEventHub();
    const seen: StudioEvent[] = [];
    events.subscribe('s1', (event) => seen.push(event));
    const registry = new SshSessionRegistry(events, new FakeClock(Date.UTC(2026, 10, 30)));
    return { registry, seen };
  };
  const connection = (id: string, keyId = 'k1') => ({
    id,
    userId: 'u1',
    name: 'Ada',
    client: 'OpenSSH_9.2p1',
    keyId,
  });

  it('lists connections with their open channels and publishes one event per turn of changes', async () => {
    const { registry, seen } = setUp();
    const closed: string[] = [];
    registry.add('s1', connection('c1'), (reason) => closed.push(reason));
    const shell = registry.channelOpened('s1', 'c1', 'shell');
    registry.channelOpened('s1', 'c1', 'forward');
    registry.channelOpened('s1', 'c1', 'forward');
    expect(registry.list('s1')).toEqual([
      {
        id: 'c1',
        userId: 'u1',
        name: 'Ada',
        client: 'OpenSSH_9.2p1',
        connectedAt: '2026-11-30T00:00:00.000Z',
        channels: { shell: 1, exec: 0, sftp: 0, forward: 2 },
      },
    ]);
    await waitFor(() => seen.length === 1);
    shell.dispose();
    shell.dispose();
    await waitFor(() => seen.length === 2);
    expect(seen[1]).toMatchObject({
      type: 'ssh-sessions',
      sessions: [{ channels: { shell: 0, forward: 2 } }],
    });
  });

  it('closes connections by key and by Studio, and forgets them when they end', async () => {
    const { registry, seen } = setUp();
    const closed: string[] = [];
    const first = registry.add('s1', connection('c1', 'k1'), (reason) => closed.push(`c1: ${reason}`));
    registry.add('s1', connection('c2', 'k2'), (reason) => closed.push(`c2: ${reason}`));
    registry.closeByKey('k1', 'key deleted');
    expect(closed).toEqual(['c1: key deleted']);
    first.dispose();
    registry.closeStudio('s1', 'Studio deleted');
    expect(closed).toEqual(['c1: key deleted', 'c2: Studio deleted']);
    expect(registry.list('s1').map((session) => session.id)).toEqual(['c2']);
    await waitFor(() => seen.at(-1)?.type === 'ssh-sessions');
  });
});
