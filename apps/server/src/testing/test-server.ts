import { join } from 'node:path';
import type { Clock, Logger } from '@studios/base';
import type { User } from '@studios/protocol';
import { DEFAULT_SUBNET_POOL, type RuntimeDriver } from '@studios/runtime';
import { tempDir } from '@studios/testkit';
import { type Config, DEFAULT_MACHINE_TYPES } from '../config';
import { createJsonLogger } from '../logger';
import { createServer, type FeatureFactory, type StudiosServer } from '../server';
import { type TestDriverFactory, testRuntime } from './test-runtime';

export interface TestServerOptions {
  features?: FeatureFactory[];
  /**
   * A driver the test builds itself on the agent folders. Otherwise `config.runtime` decides:
   * the local runtime (default) or Docker, with the real agent either way.
   */
  runtime?: TestDriverFactory;
  clock?: Clock;
  log?: Logger;
  config?: Partial<Config>;
  /**
   * An existing data dir, kept when the server closes: a second server on it is the first one
   * restarted (the caller removes the folder). A fresh temp dir otherwise.
   */
  dataDir?: string;
}

/** A server on a fresh temp data dir. `request` goes in-process unless the server listens. */
export interface TestServer {
  server: StudiosServer;
  /** The runtime driver the server runs Studios with (tests may inspect through it). */
  driver: RuntimeDriver;
  config: Config;
  dataDir: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A listening test server. */
export interface ListeningTestServer extends TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /**
   * The Origin a browser on this server sends: the configured public origin when there is one
   * (the server sits behind it), else the server's own `http://127.0.0.1:<port>`.
   */
  origin: string;
  /** `ws://127.0.0.1:<port><path>` */
  wsUrl(path: string): string;
}

/** A config for tests: temp data dir, loopback, silent logs, no web build. */
export function createTestConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    publicOrigin: undefined,
    allowedHosts: [],
    webDist: join(dataDir, 'no-web-dist'),
    maxBodyBytes: 1024 * 1024,
    logLevel: 'silent',
    idleMinutes: 30,
    kernelIdleMinutes: 60,
    runtime: 'local',
    allowLocalRuntimeRemote: false,
    localUser: undefined,
    machineTypes: DEFAULT_MACHINE_TYPES,
    studioNetwork: { pool: DEFAULT_SUBNET_POOL, egressAllow: [] },
    // As loadConfig decides it: a root server hands workspace folders to the Studio user.
    workspaceOwner: process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : undefined,
    // Off unless a test turns it on (port 0: a free one), so parallel servers never fight over 2222.
    ssh: { port: null, host: '127.0.0.1', publicHost: undefined, publicPort: undefined },
    ...overrides,
  };
}

/** Builds a server on a temp data dir without listening (use `request`, i.e. `app.request`). */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { dir: dataDir, cleanup: removeDataDir } = options.dataDir
    ? { dir: options.dataDir, cleanup: () => {} }
    : tempDir('studios-test-');
  const config = createTestConfig(dataDir, options.config);
  const log = options.log ?? createJsonLogger({ level: 'silent' });
  const runtime = await testRuntime(config, log, options.runtime);
  const server = await createServer({
    config,
    runtime,
    features: options.features ?? [],
    ...(options.clock ? { clock: options.clock } : {}),
    log,
  });
  return {
    server,
    driver: runtime.driver,
    config,
    dataDir,
    request: async (path, init) => server.app.request(path, init),
    close: async () => {
      await server.close();
      // The runtime feature disposes the driver when it is mounted; twice is harmless.
      await runtime.driver.dispose();
      removeDataDir();
    },
  };
}

/** Builds and starts a real server on 127.0.0.1 and a free port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<ListeningTestServer> {
  const base = await createTestServer(options);
  const { url } = await base.server.listen(0, '127.0.0.1');
  return {
    ...base,
    url,
    origin: base.config.publicOrigin ?? url,
    wsUrl: (path) => `${url.replace(/^http/, 'ws')}${path}`,
    request: (path, init) => fetch(`${url}${path}`, init),
  };
}

/** The `name=value` pair of the session cookie in a response, for sending back. */
export function sessionCookieFrom(response: Response): string {
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] as string)
    .find((pair) => pair.startsWith('studios_session='));
  if (!cookie) throw new Error(`No session cookie in the response (status ${response.status})`);
  return cookie;
}

let userCounter = 0;

/** A signed-up account with its session cookie, as `signUp` returns it. */
export type Account = Awaited<ReturnType<typeof signUp>>;

/** Signs up a new account and returns it with its session cookie. */
export async function signUp(
  target: Pick<TestServer, 'request'>,
  account: { email?: string; name?: string; password?: string } = {},
): Promise<{ user: User; cookie: string; email: string; password: string }> {
  userCounter += 1;
  const email = account.email ?? `user${userCounter}-${Date.now()}@example.com`;
  const password = account.password ?? 'correct horse battery';
  const response = await target.request('/api/auth/signup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: account.name ?? `User ${userCounter}`, password }),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  return { user: (await response.json()) as User, cookie: sessionCookieFrom(response), email, password };
}

/** RequestInit for a JSON call, optionally authenticated with a cookie or bearer token. */
export function jsonInit(
  method: string,
  body?: unknown,
  auth?: { cookie?: string; token?: string; origin?: string },
): RequestInit {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth?.cookie) headers.cookie = auth.cookie;
  if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth?.origin) headers.origin = auth.origin;
  return { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
}
