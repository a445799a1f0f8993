import { waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalService, type TerminalServiceOptions } from './terminal-service';
import { type FakeExecSession, fakeDriver } from './testing/fake-runtime';
import { startTerminalTestServer } from './testing/terminal-test-server';
import { TestTerminalClient } from './testing/test-terminal-client';

/** Emits `total` bytes of numbered lines in `chunkBytes` pieces, honouring pause() like a stream. */
async function produce(exec: FakeExecSession, total: number, chunkBytes: number): Promise<void> {
  let text = '';
  for (let line = 0; text.length < total; line++) text += `line ${line} ${'z'.repeat(line % 97)}\r\n`;
  const bytes = Buffer.from(text.slice(0, total));
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    // A paused process that never resumes is a flow-control bug: fail naming it, never hang.
    if (exec.paused)
      await waitFor(() => !exec.paused, { intervalMs: 1, what: 'the paused process to resume' });
    exec.emit(bytes.subarray(offset, offset + chunkBytes));
    if ((offset / chunkBytes) % 4 === 3) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('Terminal flow control with clients that keep up (fake process, real sockets)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(overrides: Partial<TerminalServiceOptions> = {}) {
    const driver = fakeDriver();
    const service = new TerminalService({
      driver,
      clientHighWatermarkBytes: 64 * 1024,
      clientLowWatermarkBytes: 16 * 1024,
      // Generous: a client that keeps acking must never be judged stalled on a busy machine.
      clientStallTimeoutMs: 10_000,
      newId: () => `t${driver.sessions.length}`,
      ...overrides,
    });
    const server = await startTerminalTestServer(service);
    cleanups.push(() => server.close());
    cleanups.push(() => {
      service.dispose();
      expect(service.stats().sessions).toBe(0);
    });
    await service.create('s1', { cols: 80, rows: 24, createdBy: 'u1' });
    const exec = driver.sessions[0];
    if (!exec) throw new Error('no exec');
    const connect = async (user: string) => {
      const client = await TestTerminalClient.connect(server.url('s1', 't1', user, true));
      cleanups.push(() => client.close());
      await client.waitForMessage('snapshot');
      return client;
    };
    return { service, exec, connect };
  }

  it('delivers every byte to a client that acks, pausing the process on its full window', async () => {
    const { service, exec, connect } = await setup();
    const client = await connect('reader');
    const total = 3 * 1024 * 1024;
    await produce(exec, total, 8 * 1024);
    await waitFor(() => client.bytesReceived === total, { timeoutMs: 30_000, what: 'all output' });
    expect(exec.calls).toContain('pause');
    expect(client.messages.filter((message) => message.type === 'snapshot')).toHaveLength(1);
    await waitFor(() => !exec.paused && service.stats().pausedSessions === 0, {
      what: 'the process resumed',
    });
    expect(service.stats().behindConnections).toBe(0);
  });

  it('gives a client that joins mid-stream (snapshot, then live output) the same screen', async () => {
    const { exec, connect } = await setup();
    const early = await connect('early');
    await produce(exec, 200 * 1024, 4 * 1024);
    const late = await connect('late');
    await produce(exec, 200 * 1024, 3 * 1024);
    exec.emit('\r\nthe-end');
    await early.waitForLine(/the-end/);
    await late.waitForLine(/the-end/);
    const lateLines = late.lines();
    // The snapshot carries the server's scrollback, the early client kept more: compare the tail.
    expect(lateLines.length).toBeGreaterThan(100);
    expect(early.lines().slice(-lateLines.length)).toEqual(lateLines);
  });
});
