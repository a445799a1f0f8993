import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@studios/testkit';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** A real Studios server process on a free loopback port, serving the production web build. */
export interface StudiosServer {
  readonly url: string;
  readonly dataDir: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startStudiosServer(env: Record<string, string> = {}): Promise<StudiosServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'studios-e2e-'));
  // mkdtemp makes it private to root; the local runtime's unprivileged user must reach its
  // Studio's workspace and agent socket inside it, as in a data folder the server creates.
  chmodSync(dataDir, 0o755);
  const homeDir = join(dataDir, 'home');
  mkdirSync(homeDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'apps/server/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        STUDIOS_DATA_DIR: dataDir,
        STUDIOS_WEB_DIST: join(repoRoot, 'apps/web/dist'),
        STUDIOS_LOG_LEVEL: 'warn',
        // The SSH gateway on a free port (GET /api/ssh says which), never a fixed 2222 two servers share.
        STUDIOS_SSH_PORT: '0',
        // Local-runtime shells are login shells of the server's user: give them an empty home,
        // so this machine's profile (pyenv, cargo…) neither slows nor hangs the specs.
        HOME: homeDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
        const response = await fetch(`${url}/api/health`);
        return response.ok;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the Studios server to answer /api/health' },
    );
  } catch (error) {
    child.kill('SIGKILL');
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

async function freePort(): Promise<number> {
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
