import { systemClock } from '@studios/base';
import { TERMINAL_FLOW } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerminalService } from './terminal-service';
import { fakeDriver } from './testing/fake-runtime';
import { startTerminalTestServer } from './testing/terminal-test-server';
import { TestTerminalClient } from './testing/test-terminal-client';

describe('TerminalService flow control and bookkeeping (fake process, real sockets)', () => {
  let driver: ReturnType<typeof fakeDriver>;
  let service: TerminalService;
  let server: Awaited<ReturnType<typeof startTerminalTestServer>>;
  let clock = 0;
  const activity: string[] = [];
  const clients: TestTerminalClient[] = [];

  beforeEach(async () => {
    driver = fakeDriver();
    clock = 0;
    activity.length = 0;
    service = new TerminalService({
      driver,
      parserHighWatermarkBytes: 64 * 1024,
      parserLowWatermarkBytes: 8 * 1024,
      clientHighWatermarkBytes: 64 * 1024,
      clientLowWatermarkBytes: 16 * 1024,
      clientStallTimeoutMs: 100,
      activityIntervalMs: 1_000,
      onActivity: (studioId) => activity.push(studioId),
      // Activity throttling reads this settable time; the stall limit keeps real timers.
      clock: { ...systemClock, now: () => clock },
      newId: () => `t${driver.sessions.length}`,
    });
    server = await startTerminalTestServer(service);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    service.dispose();
    expect(service.stats()).toEqual({ sessions: 0, connections: 0, behindConnections: 0, pausedSessions: 0 });
    expect(driver.sessions.every((session) => session.calls.includes('dispose'))).toBe(true);
    await server.close();
  });

  async function connect(user: string, canWrite: boolean, ack = true) {
    const client = await TestTerminalClient.connect(server.url('s1', 't1', user, canWrite), { ack });
    clients.push(client);
    await client.waitForMessage('snapshot');
    return client;
  }

  it('starts a login shell with the requested size and TERM', async () => {
    const info = await service.create('s1', { cols: 90, rows: 20, createdBy: 'u1', name: 'main' });
    expect(info).toMatchObject({
      id: 't1',
      name: 'main',
      cols: 90,
      rows: 20,
      createdAt: new Date(0).toISOString(),
    });
    expect(driver.sessions[0]?.options).toEqual({
      cmd: ['bash', '-l'],
      tty: true,
      cols: 90,
      rows: 20,
      env: { TERM: 'xterm-256color' },
    });
  });

  it('holds back a client that stops acking after the stall limit, then resyncs it with a snapshot', async () => {
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    const exec = driver.sessions[0];
    if (!exec) throw new Error('no exec');
    const slow = await connect('slow', false, false);
    const fast = await connect('fast', false);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 1_500; i++) exec.emit(line);
    exec.emit('\r\nthe-end');
    await fast.waitForLine(/the-end/);
    // The silent client held the shell for one stall, then fell behind and released it.
    expect(exec.calls).toContain('pause');
    // The fake emits whether paused or not, so the end can arrive before the stall limit.
    await waitFor(() => !exec.paused, { what: 'the stall limit to release the shell' });
    expect(service.stats().behindConnections).toBe(1);
    const snapshotsBefore = slow.messages.filter((message) => message.type === 'snapshot').length;
    // The slow client finally acknowledges what it received: it gets a fresh snapshot.
    slow.sendControl({ type: 'ack', bytes: TERMINAL_FLOW.HIGH_WATERMARK_BYTES * 2 });
    await waitFor(
      () => slow.messages.filter((message) => message.type === 'snapshot').length > snapshotsBefore,
      {
        what: 'a resync snapshot',
      },
    );
    await slow.waitForLine(/the-end/);
    expect(service.stats().behindConnections).toBe(0);
  });

  it('pauses the process while the screen parser is behind and resumes it after', async () => {
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    const exec = driver.sessions[0];
    if (!exec) throw new Error('no exec');
    exec.emit(Buffer.alloc(256 * 1024, 'y'));
    await waitFor(() => exec.calls.includes('resume'), { what: 'resume' });
    expect(exec.calls.indexOf('pause')).toBeGreaterThanOrEqual(0);
    expect(exec.calls.indexOf('pause')).toBeLessThan(exec.calls.indexOf('resume'));
    expect(service.stats().pausedSessions).toBe(0);
  });

  it('reports activity on input and output, at most once per interval', async () => {
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    const exec = driver.sessions[0];
    if (!exec) throw new Error('no exec');
    const writer = await connect('w', true);
    writer.type('a');
    await waitFor(() => exec.input.length === 1, { what: 'input' });
    exec.emit('b');
    await writer.waitForLine(/b/);
    expect(activity).toEqual(['s1']);
    clock = 1_000;
    exec.emit('c');
    await writer.waitForLine(/bc/);
    expect(activity).toEqual(['s1', 's1']);
  });

  it('names terminals per Studio and renames them', async () => {
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    await service.create('s2', { cols: 80, rows: 24, createdBy: 'u1' });
    expect(service.list('s1').map((info) => info.name)).toEqual(['Terminal 1', 'Terminal 2']);
    expect(service.list('s2').map((info) => info.name)).toEqual(['Terminal 1']);
    expect(service.rename('s1', 't2', 'logs')?.name).toBe('logs');
    expect(service.rename('s2', 't2', 'stolen')).toBeUndefined();
    expect(service.close('s2', 't1')).toBe(false);
  });

  it('tells subscribers which Studio changed: create, rename, attach, detach, exit, close', async () => {
    const changes: string[] = [];
    const subscription = service.onChange((studioId) => changes.push(studioId));
    const expectChanges = async (expected: string[], what: string) => {
      await waitFor(() => changes.length >= expected.length, { what });
      expect(changes.splice(0)).toEqual(expected);
    };

    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    await expectChanges(['s1'], 'create');
    service.rename('s1', 't1', 'logs');
    service.rename('s1', 'missing', 'nothing');
    await expectChanges(['s1'], 'rename');
    const client = await connect('w', true);
    await expectChanges(['s1'], 'attach');
    expect(service.list('s1')[0]?.attached).toEqual([{ userId: 'w', name: 'User w', canWrite: true }]);
    server.attachments.get('w')?.setCanWrite(false);
    await expectChanges(['s1'], 'role change');
    await client.close();
    await expectChanges(['s1'], 'detach');

    driver.sessions[0]?.finish(3);
    await expectChanges(['s1'], 'exit');
    expect(service.list('s1')[0]?.exitCode).toBe(3);
    expect(service.close('s1', 't1')).toBe(true);
    expect(service.close('s1', 't1')).toBe(false);
    await expectChanges(['s1'], 'close');

    await service.create('s2', { cols: 80, rows: 24, createdBy: 'u1' });
    const viewer = await TestTerminalClient.connect(server.url('s2', 't2', 'v', false));
    clients.push(viewer);
    await viewer.waitForMessage('snapshot');
    service.closeStudio('s2');
    service.closeStudio('s3');
    // Attach, then one change for the whole Studio: its sockets closing add nothing.
    await expectChanges(['s2', 's2', 's2'], 'closeStudio');

    subscription.dispose();
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    expect(changes).toEqual([]);
  });
});
