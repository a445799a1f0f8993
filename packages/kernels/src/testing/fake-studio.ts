import { type Disposable, ListenerSet } from '@studios/base';
import type { ExecOptions, ExecSession, RuntimeDriver } from '@studios/runtime';
import type { KernelPortHandle, KernelPortNumbers, KernelPorts } from '../ports/kernel-ports';
import { FakeKernel } from './fake-kernel';

/**
 * A Studio played in-process for manager tests: its exec answers the kernelspec listing, the
 * launcher, liveness checks, kills and signals as the real scripts would, and each "launched"
 * kernel is a {@link FakeKernel} on real ZeroMQ sockets that the fake ports lead to.
 */
export class FakeStudio {
  readonly kernels = new Map<number, FakeKernel>();
  /** Every command run in the Studio, as argv[0] plus what the script does. */
  readonly commands: string[] = [];
  /** Runs held here wait until the test calls {@link release}. */
  #held: Array<() => void> = [];
  hold = false;
  #nextPid = 100;

  readonly driver: RuntimeDriver = {
    kind: 'local',
    exec: async (_studioId, options) => this.#exec(options),
    ensure: unsupported,
    start: unsupported,
    stop: unsupported,
    remove: unsupported,
    status: async () => ({ state: 'running' }),
    list: async () => [],
    onEvent: () => ({ dispose: () => {} }),
    switchMachine: unsupported,
    startAgent: unsupported,
    dispose: async () => {},
  };

  readonly ports: KernelPorts = {
    open: async (_studioId: string, ports: KernelPortNumbers): Promise<KernelPortHandle> => {
      const kernel = [...this.kernels.values()].find((candidate) => candidate.ports?.shell === ports.shell);
      if (!kernel) throw new Error('no kernel on these ports');
      return { endpoints: kernel.endpoints, openConnections: 0, dispose: () => {} };
    },
  };

  /** Runs waiting for {@link release}. */
  get holding(): number {
    return this.#held.length;
  }

  /** Lets every held run finish. */
  release(): void {
    for (const finish of this.#held.splice(0)) finish();
  }

  close(): void {
    for (const kernel of this.kernels.values()) kernel.close();
  }

  #exec(options: ExecOptions): ExecSession {
    const [program, flag, script = '', ...args] = options.cmd;
    let output = '';
    let code = 0;
    if (program === 'python3' && script.includes('KernelSpecManager')) {
      this.commands.push('list-kernelspecs');
      const spec = {
        argv: ['python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        display_name: 'Python 3',
        language: 'python',
      };
      output = JSON.stringify({ kernelspecs: { python3: spec } });
    } else if (program === 'python3' && flag === '-c') {
      this.commands.push('launch');
      const request = JSON.parse(args[0] ?? '{}') as {
        id: string;
        connection: { key: string; shell_port: number };
      };
      const pid = this.#launch(request.connection);
      output = JSON.stringify({ pid, connectionFile: `/home/studio/kernel-studios-${request.id}.json` });
    } else if (program === 'sh') {
      const pid = Number(args[1]);
      const alive = this.kernels.has(pid);
      if (script.includes('kill -KILL')) {
        this.commands.push(`kill ${pid}`);
        this.kernels.get(pid)?.close();
        this.kernels.delete(pid);
      } else if (script.includes('kill -INT')) this.commands.push(`interrupt ${pid}`);
      else {
        this.commands.push(`alive? ${pid}`);
        code = alive ? 0 : 1;
      }
    }
    return finishedSession(output, code);
  }

  #launch(connection: { key: string; shell_port: number }): number {
    const pid = this.#nextPid++;
    const kernel = new FakeKernel(connection.key);
    kernel.ports = { shell: connection.shell_port };
    let count = 0;
    kernel.onRequest = async (channel, request) => {
      if (request.header.msg_type === 'kernel_info_request') {
        await kernel.publish('status', { execution_state: 'idle' }, request.header);
        await kernel.reply(channel, request, 'kernel_info_reply', { status: 'ok', protocol_version: '5.3' });
      } else if (request.header.msg_type === 'execute_request') {
        await kernel.publish('status', { execution_state: 'busy' }, request.header);
        if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve));
        count += 1;
        await kernel.reply(channel, request, 'execute_reply', { status: 'ok', execution_count: count });
        await kernel.publish('status', { execution_state: 'idle' }, request.header);
      } else if (request.header.msg_type === 'shutdown_request') {
        await kernel.reply(channel, request, 'shutdown_reply', { status: 'ok', restart: false });
      }
    };
    void kernel.start();
    this.kernels.set(pid, kernel);
    return pid;
  }
}

async function unsupported(): Promise<never> {
  throw new Error('not supported by the fake Studio');
}

/** A process that already printed `output` and exited with `code`. */
function finishedSession(output: string, code: number): ExecSession {
  const data = new ListenerSet<Buffer>();
  let finish: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const none: Disposable = { dispose: () => {} };
  setImmediate(() => {
    if (output) data.emit(Buffer.from(`${output}\n`));
    finish(code);
  });
  return {
    onData: (listener) => data.add(listener),
    onStderr: () => none,
    write: () => {},
    end: () => {},
    resize: async () => {},
    pause: () => {},
    resume: () => {},
    exit,
    dispose: () => finish(129),
  };
}
