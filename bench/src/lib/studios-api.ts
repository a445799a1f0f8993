import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@studios/testkit';
import { ChildServer, findFreePort } from './child-server';

/** Which Studios server to start: the checkout and its composition root. */
export interface StudiosLaunch {
  repoRoot: string;
  /** Server entry relative to repoRoot; normally `apps/server/src/main.ts`. */
  entry: string;
}

/** A real Studios server (`apps/server`) in a child process with its own temp data folder. */
export interface StudiosServer extends AsyncDisposable {
  child: ChildServer;
  port: number;
  baseUrl: string;
  origin: string;
  dataDir: string;
}

/** Starts `node --import tsx <entry>` on a free loopback port and waits for HTTP. */
export async function startStudiosServer(options: {
  launch: StudiosLaunch;
  inspect?: boolean;
  /** Extra server environment, e.g. `STUDIOS_RUNTIME=docker`. */
  env?: Record<string, string>;
}): Promise<StudiosServer> {
  const port = await findFreePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'studios-bench-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const child = await ChildServer.start({
      name: 'studios',
      args: ['--import', 'tsx', options.launch.entry],
      cwd: options.launch.repoRoot,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        STUDIOS_DATA_DIR: dataDir,
        STUDIOS_LOG_LEVEL: 'warn',
        // The SSH gateway on a free port (GET /api/ssh says which), never a fixed 2222 two servers share.
        STUDIOS_SSH_PORT: '0',
        ...options.env,
      },
      inspect: options.inspect ?? false,
      // Any HTTP answer (401 for an anonymous /api/me) means the routes are mounted.
      ready: async () => (await fetch(`${baseUrl}/api/me`).catch(() => undefined)) !== undefined,
      readyTimeoutMs: 90_000,
    });
    return {
      child,
      port,
      baseUrl,
      origin: baseUrl,
      dataDir,
      async [Symbol.asyncDispose]() {
        await child[Symbol.asyncDispose]();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Failure of a REST call, with the server's `{code, message}` when it sent one. */
export class StudiosApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

/** A signed-in user of a Studios server: the REST calls the benchmarks need. */
export class StudiosSession {
  private constructor(
    readonly server: StudiosServer,
    /** `studios_session=…`, ready for a Cookie header. */
    readonly cookie: string,
  ) {}

  /** Signs up a fresh user and keeps its session cookie. */
  static async signUp(server: StudiosServer, label: string): Promise<StudiosSession> {
    const unique = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const response = await fetch(`${server.baseUrl}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.origin },
      body: JSON.stringify({
        email: `${unique}@bench.example`,
        name: label,
        password: 'bench-password-1234567',
      }),
    });
    if (!response.ok) throw new StudiosApiError(response.status, await response.text(), 'signup');
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0] ?? '')
      .find((pair) => pair.startsWith('studios_session='));
    if (!cookie) throw new Error('signup returned no studios_session cookie');
    return new StudiosSession(server, cookie);
  }

  /** Headers for a socket to this server; `authenticated: false` leaves out the session. */
  socketHeaders(authenticated: boolean): Record<string, string> {
    return authenticated
      ? { cookie: this.cookie, origin: this.server.origin }
      : { origin: this.server.origin };
  }

  async createStudio(name: string): Promise<string> {
    const studio = (await this.request('POST', '/api/studios', { name })) as { id: string };
    return studio.id;
  }

  /** Creates an empty file in the Studio's workspace; an existing file is fine. */
  async createFile(studioId: string, filePath: string): Promise<void> {
    try {
      await this.request('POST', `/api/studios/${studioId}/files`, { path: filePath, kind: 'file' });
    } catch (error) {
      if (!(error instanceof StudiosApiError && error.status === 409)) throw error;
    }
  }

  /** The file's bytes on disk as the server serves them, or undefined if it has none yet. */
  async readFile(studioId: string, filePath: string): Promise<string | undefined> {
    const response = await fetch(
      `${this.server.baseUrl}/api/studios/${studioId}/files/content?path=${encodeURIComponent(filePath)}`,
      { headers: this.socketHeaders(true) },
    );
    if (response.status === 404) return undefined;
    if (!response.ok) throw new StudiosApiError(response.status, await response.text(), `read ${filePath}`);
    return response.text();
  }

  /** Asks the Studio to start (202) and polls until its runtime state is `running`. */
  async startStudio(studioId: string, timeoutMs = 120_000): Promise<void> {
    await this.request('POST', `/api/studios/${studioId}/start`);
    await this.waitForState(studioId, 'running', timeoutMs);
  }

  /** Asks the Studio to stop and polls until its runtime state is `stopped`. */
  async stopStudio(studioId: string, timeoutMs = 60_000): Promise<void> {
    await this.request('POST', `/api/studios/${studioId}/stop`);
    await this.waitForState(studioId, 'stopped', timeoutMs);
  }

  async waitForState(studioId: string, state: string, timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const studio = (await this.request('GET', `/api/studios/${studioId}`)) as {
          runtime: { state: string; message?: string };
        };
        if (studio.runtime.state === 'error')
          throw new Error(`Studio error: ${studio.runtime.message ?? ''}`);
        return studio.runtime.state === state;
      },
      { timeoutMs, intervalMs: 10, what: `Studio ${studioId} to be ${state}` },
    );
  }

  /** Opens a terminal session in the running Studio; returns its id. */
  async createTerminal(studioId: string, size = { cols: 120, rows: 40 }): Promise<string> {
    const terminal = (await this.request('POST', `/api/studios/${studioId}/terminals`, size)) as {
      id: string;
    };
    return terminal.id;
  }

  terminalSocketUrl(studioId: string, terminalId: string): string {
    return `ws://127.0.0.1:${this.server.port}/api/studios/${studioId}/terminals/${terminalId}`;
  }

  /** One JSON REST call; throws {@link StudiosApiError} on a non-2xx answer. */
  async request(method: string, urlPath: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { ...this.socketHeaders(true) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.server.baseUrl}${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new StudiosApiError(response.status, text, `${method} ${urlPath}`);
    return text.length > 0 ? JSON.parse(text) : undefined;
  }
}
