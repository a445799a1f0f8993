import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@studios/testkit';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const serverMain = join(repoRoot, 'apps/server/src/main.ts');

/** A real Studios server process (local runtime, SSH gateway on a free port) on a free loopback port. */
export interface RunningServer {
  readonly url: string;
  /** Its data folder: every Studio process it starts names a path inside it. */
  readonly dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startStudiosServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'studios-cli-server-'));
  // The local runtime's unprivileged user must reach its Studio's workspace inside it.
  chmodSync(dataDir, 0o755);
  const home = join(dataDir, 'home');
  mkdirSync(home);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', serverMain], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      STUDIOS_DATA_DIR: dataDir,
      STUDIOS_RUNTIME: 'local',
      STUDIOS_SSH_PORT: '0',
      STUDIOS_LOG_LEVEL: 'warn',
      // Local-runtime shells are login shells: an empty home keeps this machine's profile out.
      HOME: home,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let started = false;
  try {
    // A server that exits fails the start at once rather than at the deadline.
    await Promise.race([
      waitFor(async () => (await fetch(`${url}/api/health`)).ok, {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: 'the Studios server to answer /api/health',
      }),
      exited.then(() => {
        if (started) return;
        throw new Error(`the Studios server exited with ${child.exitCode} before answering:\n${output}`);
      }),
    ]);
    started = true;
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(forced);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
