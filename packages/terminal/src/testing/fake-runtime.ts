import { type Disposable, ListenerSet } from '@studios/base';
import type { ExecOptions, ExecSession, RuntimeDriver } from '@studios/runtime';

/** A process whose output the test produces and whose input and flow calls it records. */
export class FakeExecSession implements ExecSession {
  readonly input: Buffer[] = [];
  readonly calls: string[] = [];
  readonly exit: Promise<number>;
  private readonly listeners = new ListenerSet<Buffer>();
  private resolveExit: (code: number) => void = () => {};

  constructor(readonly options: ExecOptions) {
    this.exit = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  emit(chunk: string | Buffer): void {
    const bytes = Buffer.from(chunk);
    this.listeners.emit(bytes);
  }

  finish(code: number): void {
    this.resolveExit(code);
  }

  onData(listener: (chunk: Buffer) => void): Disposable {
    return this.listeners.add(listener);
  }

  onStderr(): Disposable {
    return { dispose: () => {} };
  }

  write(data: string | Uint8Array): void {
    this.input.push(Buffer.from(data));
  }

  end(): void {}

  async resize(cols: number, rows: number): Promise<void> {
    this.calls.push(`resize ${cols}x${rows}`);
  }

  /** True between pause() and resume(), as a real stream would stop delivering data. */
  paused = false;

  pause(): void {
    this.paused = true;
    this.calls.push('pause');
  }

  resume(): void {
    this.paused = false;
    this.calls.push('resume');
  }

  dispose(): void {
    this.calls.push('dispose');
    this.resolveExit(129);
  }
}

/** A driver whose only working call is exec, handing out FakeExecSessions. */
export function fakeDriver(): RuntimeDriver & { sessions: FakeExecSession[] } {
  const sessions: FakeExecSession[] = [];
  const unsupported = async (): Promise<never> => {
    throw new Error('not supported by the fake driver');
  };
  return {
    kind: 'local',
    sessions,
    exec: async (_studioId, options) => {
      const session = new FakeExecSession(options);
      sessions.push(session);
      return session;
    },
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
}
