import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { waitFor } from '@studios/testkit';
import { InspectorSession } from './inspector-session';

/** How to start a server process under test. */
export interface ChildServerOptions {
  /** Shown in errors and logs. */
  name: string;
  /** Node arguments after the binary, e.g. `['--import', 'tsx', 'apps/server/src/main.ts']`. */
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** Opens the V8 inspector on a random loopback port so the bench can force a GC (S4). */
  inspect?: boolean;
  /** Resolves truthy once the server accepts work; polled until `readyTimeoutMs`. */
  ready: (child: ChildServer) => Promise<boolean>;
  readyTimeoutMs?: number;
}

/**
 * A server under test running as a child Node process. Owns the process: dispose() stops it
 * (SIGTERM, then SIGKILL after a grace period) and waits for it to exit.
 */
export class ChildServer implements AsyncDisposable {
  readonly name: string;
  readonly process: ChildProcess;
  private output = '';
  private exited: Promise<number | null>;
  private inspector: InspectorSession | undefined;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.process = child;
    const keep = (chunk: Buffer) => {
      // Keep the tail only: enough to explain a crash, bounded for a 10k-cycle soak.
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Spawns the process and waits until `options.ready` says it serves. */
  static async start(options: ChildServerOptions): Promise<ChildServer> {
    const args = options.inspect ? ['--inspect=127.0.0.1:0', ...options.args] : options.args;
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ChildServer(options.name, child);
    try {
      // A crash must end the wait at once, not after the readiness timeout.
      const crashed = server.exited.then((code) => {
        throw new Error(`${options.name} exited with ${code} before serving`);
      });
      crashed.catch(() => {});
      await Promise.race([
        crashed,
        waitFor(() => (child.exitCode === null ? options.ready(server) : false), {
          timeoutMs: options.readyTimeoutMs ?? 60_000,
          intervalMs: 50,
          what: `${options.name} to serve`,
        }),
      ]);
      if (options.inspect) server.inspector = await server.connectInspector();
    } catch (error) {
      await server[Symbol.asyncDispose]();
      throw error instanceof Error
        ? new Error(`${error.message}\n--- ${options.name} output ---\n${server.output}`)
        : error;
    }
    return server;
  }

  get pid(): number {
    if (this.process.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.process.pid;
  }

  /** Recent stdout+stderr of the child, for diagnostics. */
  get recentOutput(): string {
    return this.output;
  }

  /** Resident set size of the child in bytes, from /proc/<pid>/status. */
  async rssBytes(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (!match?.[1]) throw new Error(`No VmRSS for ${this.name}`);
    return Number(match[1]) * 1024;
  }

  /** Forces a full GC in the child through the inspector (needs `inspect: true`). */
  async collectGarbage(): Promise<void> {
    if (!this.inspector) throw new Error(`${this.name} was not started with the inspector`);
    await this.inspector.call('HeapProfiler.collectGarbage');
  }

  /** V8 heap in use in the child, in bytes (needs `inspect: true`). */
  async heapUsedBytes(): Promise<number> {
    if (!this.inspector) throw new Error(`${this.name} was not started with the inspector`);
    const usage = (await this.inspector.call('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  }

  /** Any inspector protocol call in the child, e.g. `Profiler.start` (needs `inspect: true`). */
  async inspectorCall(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    if (!this.inspector) throw new Error(`${this.name} was not started with the inspector`);
    return this.inspector.call(method, params);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.inspector?.close();
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const graceful = await Promise.race([this.exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!graceful) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
  }

  private async connectInspector(): Promise<InspectorSession> {
    const url = await waitFor(() => /Debugger listening on (ws:\/\/\S+)/.exec(this.output)?.[1], {
      timeoutMs: 10_000,
      what: `${this.name}'s inspector URL`,
    });
    return InspectorSession.connect(url);
  }
}

/** A TCP port that was free a moment ago (for servers that take their port from the env). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
