import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, type KernelState } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelAlive, killKernel } from '../launch/kernel-process';
import { runInStudio } from '../launch/run-in-studio';
import { RelayedKernelPorts } from '../ports/kernel-ports';
import { type DockerStudio, startDockerStudio } from '../testing/docker-studio';
import type { ExecuteEvent } from '../wire/nbformat-output';
import { KernelManager } from './kernel-manager';
import { InMemoryKernelRecordStore } from './kernel-record-store';

const notebook = 'analysis/notebook.ipynb';

// Real ipykernel (6.17) in a real Docker Studio, its ports reached only through the Studio's
// agent: the protocol round trip, interrupt, restart, input(), and reattaching after the server
// (the manager) goes away.
describe('Jupyter kernels in a Docker Studio', { timeout: 120_000 }, () => {
  let studio: DockerStudio;
  let store: InMemoryKernelRecordStore;
  let ports: RelayedKernelPorts;
  let manager: KernelManager;
  const states: KernelState[] = [];
  const busy: boolean[] = [];

  const newManager = () =>
    new KernelManager({
      driver: studio.driver,
      ports,
      store,
      idleShutdownMs: 0,
      onStateChange: (_studio, _path, state) => states.push(state),
      onBusyChange: (_studio, _path, value) => busy.push(value),
    });

  const run = async (code: string, allowStdin = false, onEvent?: (event: ExecuteEvent) => void) => {
    const events: ExecuteEvent[] = [];
    // One run at a time, as the server sends them: no abort window after an error.
    const result = await manager.running(studio.studioId, notebook).execute(code, {
      allowStdin,
      stopOnError: false,
      onEvent: (event) => {
        events.push(event);
        onEvent?.(event);
      },
    });
    return { result, events };
  };

  beforeAll(async () => {
    studio = await startDockerStudio('kernels-it');
    await studio.hub.files(studio.studioId).createDirectory('analysis');
    store = new InMemoryKernelRecordStore();
    ports = new RelayedKernelPorts({ dial: studio.dial, folder: join(studio.dataDir, 'kernels') });
    manager = newManager();
  }, 180_000);

  afterAll(async () => {
    await manager?.shutdownStudio(studio.studioId).catch(() => {});
    manager?.dispose();
    await studio?.cleanup();
  });

  it('lists the Studio kernelspecs, python3 first', async () => {
    const list = await manager.kernelSpecs(studio.studioId);
    expect(list.default).toBe('python3');
    expect(list.kernelspecs.map((spec) => spec.name)).toContain('python3');
    await expect(manager.start(studio.studioId, notebook, { kernelName: 'nope' })).rejects.toMatchObject({
      code: ErrorCode.KernelUnavailable,
    });
  });

  it('starts a kernel and runs 1+1 to an execute_result', async () => {
    const kernel = await manager.start(studio.studioId, notebook, { by: { id: 'u1', name: 'Ada' } });
    expect(kernel.state).toMatchObject({ status: 'idle', startedBy: { id: 'u1', name: 'Ada' } });
    expect(states.map((state) => state.status)).toContain('starting');
    const { result, events } = await run('1+1');
    expect(result).toEqual({ status: 'ok', executionCount: 1 });
    expect(events).toContainEqual({
      type: 'output',
      output: {
        output_type: 'execute_result',
        data: { 'text/plain': '2' },
        metadata: {},
        execution_count: 1,
      },
    });
    expect(busy).toContain(true);
    expect(busy.at(-1)).toBe(false);
  });

  it('streams print, and reports an exception with its traceback; the cwd is the notebook folder', async () => {
    const printed = await run('import os\nprint("hello", os.getcwd())');
    expect(printed.events).toEqual([
      {
        type: 'output',
        output: { output_type: 'stream', name: 'stdout', text: 'hello /workspace/analysis\n' },
      },
    ]);
    const failed = await run('1/0');
    expect(failed.result.status).toBe('error');
    const error = failed.events.find(
      (event) => event.type === 'output' && event.output.output_type === 'error',
    );
    expect(error).toMatchObject({ output: { ename: 'ZeroDivisionError', evalue: 'division by zero' } });
    expect(
      error?.type === 'output' && error.output.output_type === 'error' && error.output.traceback.length,
    ).toBeGreaterThan(0);
  });

  it('aborts what was queued behind an error when runs are sent together (Run all)', async () => {
    const kernel = manager.running(studio.studioId, notebook);
    const [failed, queued] = await Promise.all([
      kernel.execute('raise ValueError("stop")'),
      kernel.execute('"never"'),
    ]);
    expect(failed.status).toBe('error');
    expect(queued).toEqual({ status: 'aborted', executionCount: null });
    // The kernel's abort window closes again; a run after it goes through.
    await waitFor(async () => (await run('"again"')).result.status === 'ok', {
      what: 'a run after the abort window',
    });
  });

  it('sends a matplotlib plot as display_data with image/png', async () => {
    const { result, events } = await run(
      '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()',
    );
    expect({
      result,
      errors: events.filter((event) => event.type === 'output' && event.output.output_type === 'error'),
    }).toMatchObject({ result: { status: 'ok' } });
    const image = events.find(
      (event) => event.type === 'output' && event.output.output_type === 'display_data',
    );
    expect(
      image?.type === 'output' &&
        image.output.output_type === 'display_data' &&
        typeof image.output.data['image/png'],
    ).toBe('string');
  });

  it('keeps display ids, so displays can be updated', async () => {
    const { events } = await run('h = display("a", display_id=True)\nh.update("b")');
    expect(events[0]).toMatchObject({ type: 'output', displayId: expect.any(String) });
    expect(events[1]).toMatchObject({
      type: 'update_display_data',
      output: { data: { 'text/plain': "'b'" } },
    });
  });

  it('asks for input() and takes the answer', async () => {
    const kernel = manager.running(studio.studioId, notebook);
    const { result, events } = await run('name = input("Who? ")\nprint("hi", name)', true, (event) => {
      if (event.type === 'input_request') kernel.inputReply('Grace');
    });
    expect(result.status).toBe('ok');
    expect(events[0]).toEqual({ type: 'input_request', prompt: 'Who? ', password: false });
    expect(events).toContainEqual({
      type: 'output',
      output: { output_type: 'stream', name: 'stdout', text: 'hi Grace\n' },
    });
  });

  it('interrupts time.sleep(60) within 2 s', async () => {
    const kernel = manager.running(studio.studioId, notebook);
    let started = false;
    const running = run('import time\nprint("sleeping", flush=True)\ntime.sleep(60)', false, (event) => {
      if (event.type === 'output') started = true;
    });
    await waitFor(() => started, { timeoutMs: 10_000, what: 'the sleep to start' });
    const asked = Date.now();
    await kernel.interrupt();
    const { result, events } = await running;
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(result.status).toBe('error');
    expect(events.at(-1)).toMatchObject({ output: { output_type: 'error', ename: 'KeyboardInterrupt' } });
  });

  it('restarts: a new process, the execution count starts over', async () => {
    const before = (await store.list())[0]?.process.pid;
    await manager.restart(studio.studioId, notebook);
    expect(manager.state(studio.studioId, notebook).status).toBe('idle');
    const after = (await store.list())[0]?.process.pid;
    expect(after).not.toBe(before);
    const { result } = await run('x = 41');
    expect(result).toEqual({ status: 'ok', executionCount: 1 });
  });

  it('reattaches after the server restarts (same kernel, same variables), then shuts down cleanly', async () => {
    const relaysBefore = manager.get(studio.studioId, notebook)?.openRelays;
    expect(relaysBefore).toBeGreaterThan(0);
    manager.dispose();
    // Every relay and socket folder of the old manager is gone; the kernel process is not.
    await waitFor(() => readdirSync(join(studio.dataDir, 'kernels')).length === 0, {
      what: 'relay folders removed',
    });
    const [record] = await store.list();
    if (!record) throw new Error('no kernel record');
    expect(await kernelAlive(studio.driver, studio.studioId, record.process)).toBe(true);

    manager = newManager();
    expect(await manager.reattach()).toEqual({ reattached: 1, forgotten: 0 });
    const { result, events } = await run('x + 1');
    expect(result).toEqual({ status: 'ok', executionCount: 2 });
    expect(events).toContainEqual(
      expect.objectContaining({ output: expect.objectContaining({ data: { 'text/plain': '42' } }) }),
    );

    await manager.shutdown(studio.studioId, notebook);
    expect(manager.size).toBe(0);
    expect(await store.list()).toEqual([]);
    expect(await kernelAlive(studio.driver, studio.studioId, record.process)).toBe(false);
    await waitFor(() => readdirSync(join(studio.dataDir, 'kernels')).length === 0, {
      what: 'relay folders removed',
    });
  });

  it('forgets (and ends) a remembered kernel that no longer answers', async () => {
    await manager.start(studio.studioId, notebook);
    const [record] = await store.list();
    if (!record) throw new Error('no kernel record');
    manager.dispose();
    await store.put({ ...record, process: { ...record.process, pid: 999_999 } });
    manager = newManager();
    expect(await manager.reattach()).toEqual({ reattached: 0, forgotten: 1 });
    expect(await store.list()).toEqual([]);
    // The real process was not this record's pid: end it through the studio shutdown path.
    await killKernel(studio.driver, studio.studioId, record.process);
  });

  it('shuts an idle kernel down after the idle time, never a busy one', async () => {
    const idle = new KernelManager({ driver: studio.driver, ports, store, idleShutdownMs: 800 });
    try {
      const kernel = await idle.start(studio.studioId, 'idle.ipynb');
      const [record] = (await store.list()).filter((entry) => entry.path === 'idle.ipynb');
      if (!record) throw new Error('no kernel record');
      // Runs longer than the idle time: a busy kernel is not idle.
      expect(await kernel.execute('import time\ntime.sleep(1.5)')).toMatchObject({ status: 'ok' });
      expect(kernel.state.status).toBe('idle');
      await waitFor(() => idle.size === 0, { timeoutMs: 10_000, what: 'the idle kernel shut down' });
      expect(await kernelAlive(studio.driver, studio.studioId, record.process)).toBe(false);
      expect((await store.list()).filter((entry) => entry.path === 'idle.ipynb')).toEqual([]);
    } finally {
      idle.dispose();
    }
  });

  it('shuts every kernel of a stopping Studio down, leaving no relay behind', async () => {
    // Two people starting one notebook's kernel at once get the same kernel.
    const [first, second] = await Promise.all([
      manager.start(studio.studioId, 'one.ipynb'),
      manager.start(studio.studioId, 'one.ipynb'),
    ]);
    expect(first).toBe(second);
    await manager.start(studio.studioId, 'two.ipynb');
    const records = await store.list();
    expect(records).toHaveLength(2);
    await manager.shutdownStudio(studio.studioId);
    expect(manager.size).toBe(0);
    expect(await store.list()).toEqual([]);
    for (const record of records)
      expect(await kernelAlive(studio.driver, studio.studioId, record.process)).toBe(false);
    await waitFor(() => readdirSync(join(studio.dataDir, 'kernels')).length === 0, {
      what: 'relay folders removed',
    });
  });

  it('changes kernel, and interrupts over control for a kernelspec with interrupt_mode message', async () => {
    const spec = JSON.stringify({
      argv: ['python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
      display_name: 'Python (message interrupts)',
      language: 'python',
      interrupt_mode: 'message',
    });
    const install =
      'mkdir -p "$HOME/.local/share/jupyter/kernels/py-msg" && printf %s "$1" > "$HOME/.local/share/jupyter/kernels/py-msg/kernel.json"';
    await runInStudio(studio.driver, studio.studioId, ['sh', '-c', install, 'sh', spec]);
    expect((await manager.kernelSpecs(studio.studioId)).kernelspecs.map((entry) => entry.name)).toContain(
      'py-msg',
    );

    const python = await manager.start(studio.studioId, 'change.ipynb');
    const [before] = (await store.list()).filter((entry) => entry.path === 'change.ipynb');
    const changed = await manager.start(studio.studioId, 'change.ipynb', { kernelName: 'py-msg' });
    expect(changed).toBe(python);
    expect(changed.state).toMatchObject({
      status: 'idle',
      spec: { name: 'py-msg', displayName: 'Python (message interrupts)' },
    });
    if (!before) throw new Error('no kernel record');
    expect(await kernelAlive(studio.driver, studio.studioId, before.process)).toBe(false);

    let started = false;
    const running = changed.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(60)', {
      onEvent: () => {
        started = true;
      },
    });
    await waitFor(() => started, { timeoutMs: 10_000, what: 'the sleep to start' });
    const asked = Date.now();
    await changed.interrupt();
    expect((await running).status).toBe('error');
    expect(Date.now() - asked).toBeLessThan(2000);
    await manager.shutdown(studio.studioId, 'change.ipynb');
  });

  it('declares a killed kernel dead (heartbeat), and a restart brings it back', async () => {
    const watched = new KernelManager({
      driver: studio.driver,
      ports,
      store,
      idleShutdownMs: 0,
      tuning: { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 500, heartbeatMisses: 2 },
    });
    try {
      const kernel = await watched.start(studio.studioId, 'dies.ipynb');
      const [record] = (await store.list()).filter((entry) => entry.path === 'dies.ipynb');
      if (!record) throw new Error('no kernel record');
      await killKernel(studio.driver, studio.studioId, record.process);
      await waitFor(() => kernel.state.status === 'dead', {
        timeoutMs: 10_000,
        what: 'the kernel declared dead',
      });
      expect(kernel.state.message).toMatch(/Restart/);
      await expect(kernel.execute('1')).rejects.toMatchObject({ code: ErrorCode.KernelNotRunning });
      await watched.restart(studio.studioId, 'dies.ipynb');
      expect(await kernel.execute('1')).toEqual({ status: 'ok', executionCount: 1 });
      await watched.shutdown(studio.studioId, 'dies.ipynb');
    } finally {
      watched.dispose();
    }
  });
});
