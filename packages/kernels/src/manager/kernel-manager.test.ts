import { FakeClock, waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeStudio } from '../testing/fake-studio';
import { KernelManager } from './kernel-manager';
import { InMemoryKernelRecordStore } from './kernel-record-store';

const IDLE_MS = 60_000;

// The manager's timing and bookkeeping on an injected clock, against a Studio played in-process
// (its kernels are fake kernels on real ZeroMQ sockets). The Docker suite proves the real thing.
describe('KernelManager (fake clock, fake Studio)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function setup(store = new InMemoryKernelRecordStore(), studio = new FakeStudio()) {
    const clock = new FakeClock();
    const busy: boolean[] = [];
    const statuses: string[] = [];
    const manager = new KernelManager({
      driver: studio.driver,
      ports: studio.ports,
      store,
      clock,
      idleShutdownMs: IDLE_MS,
      // Far beyond any advance in these tests: heartbeats are the Docker suite's business.
      tuning: { heartbeatIntervalMs: 1e9 },
      onBusyChange: (_studio, _path, value) => busy.push(value),
      onStateChange: (_studio, _path, state) => statuses.push(state.status),
    });
    cleanups.push(
      () => manager.dispose(),
      () => studio.close(),
    );
    /**
     * Moves fake time in small steps while `promise` settles (resends and timeouts run on it).
     * Each step waits a real millisecond: the fake kernels answer over real sockets, so fake time
     * must not outrun real I/O (stepping on setImmediate alone crossed the 60 s ready deadline in
     * ~0.1 s of real time, before a loaded machine had delivered the kernel's first reply).
     */
    const settle = async <T>(promise: Promise<T>): Promise<T> => {
      let done = false;
      void promise
        .finally(() => {
          done = true;
        })
        .catch(() => {});
      while (!done) {
        clock.advance(10);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return promise;
    };
    return { clock, busy, statuses, manager, studio, store, settle };
  }

  it('shuts a kernel down after the idle time, and never while it runs something', async () => {
    const { clock, busy, statuses, manager, studio, store, settle } = setup();
    const kernel = await settle(manager.start('s1', 'a.ipynb'));
    expect(statuses).toEqual(['starting', 'idle']);

    studio.hold = true;
    const running = kernel.execute('long()');
    await waitFor(() => busy.includes(true) && studio.holding === 1, { what: 'the kernel running' });
    clock.advance(IDLE_MS * 2);
    expect(manager.size).toBe(1);
    studio.release();
    expect(await running).toEqual({ status: 'ok', executionCount: 1 });
    await waitFor(() => busy.at(-1) === false, { what: 'the kernel reported not busy' });

    clock.advance(IDLE_MS - 1);
    expect(manager.size).toBe(1);
    clock.advance(1);
    await waitFor(() => manager.size === 0, { what: 'the idle kernel shut down' });
    expect(studio.commands.filter((command) => command.startsWith('kill'))).toHaveLength(1);
    expect(studio.kernels.size).toBe(0);
    expect(await store.list()).toEqual([]);
    expect(statuses.at(-1)).toBe('none');
  });

  it('reattaches to kernels that still run and ends and forgets the others', async () => {
    const store = new InMemoryKernelRecordStore();
    const studio = new FakeStudio();
    const before = setup(store, studio);
    await before.settle(before.manager.start('s1', 'alive.ipynb'));
    await before.settle(before.manager.start('s1', 'gone.ipynb'));
    expect(await before.manager.running('s1', 'alive.ipynb').execute('x = 1')).toMatchObject({
      executionCount: 1,
    });
    before.manager.dispose();
    expect(studio.kernels.size).toBe(2); // the server letting go stops nothing

    const gone = (await store.list()).find((record) => record.path === 'gone.ipynb');
    if (!gone) throw new Error('no record');
    studio.kernels.get(gone.process.pid)?.close();
    studio.kernels.delete(gone.process.pid);

    const after = setup(store, studio);
    expect(await after.settle(after.manager.reattach())).toEqual({ reattached: 1, forgotten: 1 });
    expect((await store.list()).map((record) => record.path)).toEqual(['alive.ipynb']);
    // The same process: its execution count goes on.
    expect(await after.manager.running('s1', 'alive.ipynb').execute('x')).toMatchObject({
      executionCount: 2,
    });
    await expect(async () => after.manager.running('s1', 'gone.ipynb')).rejects.toMatchObject({
      code: 'kernel_not_running',
    });
  });

  it('gives a start asked during reattach the remembered kernel, never a second one', async () => {
    const store = new InMemoryKernelRecordStore();
    const studio = new FakeStudio();
    const before = setup(store, studio);
    await before.settle(before.manager.start('s1', 'nb.ipynb'));
    expect(await before.manager.running('s1', 'nb.ipynb').execute('x = 1')).toMatchObject({
      executionCount: 1,
    });
    before.manager.dispose();

    // Clearing leftovers takes real I/O on a server: the start below arrives in the meantime.
    studio.ports.removeLeftovers = () => new Promise((resolve) => setTimeout(resolve, 50));
    const after = setup(store, studio);
    // As on a server boot: reattach runs in the background and a Run arrives at once.
    const reattaching = after.manager.reattach();
    const kernel = await after.settle(after.manager.start('s1', 'nb.ipynb'));
    expect(await after.settle(reattaching)).toEqual({ reattached: 1, forgotten: 0 });
    expect(studio.kernels.size).toBe(1);
    expect(await kernel.execute('x')).toMatchObject({ executionCount: 2 });
  });

  it('shuts down every kernel of a stopping Studio and none of another', async () => {
    const { manager, store, studio, settle } = setup();
    await settle(manager.start('s1', 'a.ipynb'));
    await settle(manager.start('s2', 'b.ipynb'));
    await settle(manager.shutdownStudio('s1'));
    expect((await store.list()).map((record) => record.studioId)).toEqual(['s2']);
    expect(manager.state('s1', 'a.ipynb').status).toBe('none');
    expect(manager.state('s2', 'b.ipynb').status).toBe('idle');
    expect(studio.kernels.size).toBe(1);
  });
});
