import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@studios/base';
import type { SshKeySummary, Studio, TokenCreated } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../config';
import type { Feature } from '../features/feature';
import { standardFeatures } from '../features/standard-features';
import type { TerminalsFeature } from '../features/terminals';
import type { FeatureFactory } from '../server';
import { freshPublicKeyLine } from './ssh-public-key';
import { type Account, jsonInit, type ListeningTestServer, signUp, startTestServer } from './test-server';

/** An account with its session cookie. */
/** How a request authenticates: an account's cookie, a bearer token, or a raw header set. */
export type Caller = Account | { token: string } | undefined;

/** Content of the file planted in the other Studio's workspace; must never leak. */
export const SIBLING_SECRET = 'sibling-secret-7f3a9c';
/** Content of the file planted outside every workspace; must never leak. */
export const OUTSIDE_SECRET = 'outside-secret-52be10';

/**
 * A real listening server wired like `main.ts` (runtime on Docker, agents, collab, terminals)
 * with one running Studio that has an owner, an editor and a viewer, a shared terminal and a
 * file; a stranger who owns a second Studio; and canary files outside the first workspace.
 * Docker, because that is the runtime several people share (the local runtime gives processes
 * to its admin only).
 */
export interface SecurityFixture {
  t: ListeningTestServer;
  driver: RuntimeDriver;
  /** Processes running in the fixture's Studio now (a refused request must start none). */
  processCount(): Promise<number>;
  terminals: TerminalsFeature;
  owner: Account;
  editor: Account;
  viewer: Account;
  /** Signed in, but not a member of `studio`. */
  stranger: Account;
  studio: Studio;
  /** The stranger's Studio, whose workspace holds `secret` (SIBLING_SECRET). */
  otherStudio: Studio;
  /** A Studio id that does not exist (same shape as real ones). */
  missingStudioId: string;
  terminalId: string;
  /** A live API token of the owner. */
  ownerToken: TokenCreated;
  /** An SSH key of the owner. */
  ownerSshKey: SshKeySummary;
  /** A token of the owner that was revoked. */
  revokedToken: string;
  /** `<dataDir>/outside`, holding `secret.txt` (OUTSIDE_SECRET). */
  outsideDir: string;
  workspaceDir(studioId: string): string;
  /** A JSON API call with our Origin (unless `headers.origin` overrides it). */
  call(
    method: string,
    path: string,
    caller: Caller,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface SecurityFixtureOptions {
  config?: Partial<Config>;
  log?: Logger;
  /** Extra features mounted after the real ones (e.g. a route that throws). */
  extraFeatures?: Feature[];
}

/** Authentication headers for a caller. */
export function authHeaders(caller: Caller): Record<string, string> {
  if (!caller) return {};
  if ('cookie' in caller) return { cookie: caller.cookie };
  return { authorization: `Bearer ${caller.token}` };
}

/** Starts the full server and the scenario described on `SecurityFixture`. */
export async function startSecurityFixture(options: SecurityFixtureOptions = {}): Promise<SecurityFixture> {
  const features: FeatureFactory[] = [
    ...standardFeatures({ collab: { writeDebounceMs: 50 } }),
    ...(options.extraFeatures ?? []).map((feature) => () => feature),
  ];
  const t = await startTestServer({
    features,
    config: { ...options.config, runtime: 'docker', idleMinutes: 0 },
    ...(options.log ? { log: options.log } : {}),
  });
  const { driver } = t;
  const call: SecurityFixture['call'] = (method, path, caller, body, headers = {}) => {
    const init = jsonInit(method, body, { origin: t.origin });
    return t.request(path, { ...init, headers: { ...init.headers, ...authHeaders(caller), ...headers } });
  };
  const json = async <T>(response: Promise<Response>, status: number): Promise<T> => {
    const answered = await response;
    if (answered.status !== status) {
      throw new Error(`fixture setup: expected ${status}, got ${answered.status} ${await answered.text()}`);
    }
    return (await answered.json()) as T;
  };

  const [owner, editor, viewer, stranger] = [
    await signUp(t),
    await signUp(t),
    await signUp(t),
    await signUp(t),
  ];
  const studio = await json<Studio>(call('POST', '/api/studios', owner, { name: 'Target' }), 201);
  const otherStudio = await json<Studio>(call('POST', '/api/studios', stranger, { name: 'Sibling' }), 201);
  for (const [who, role] of [
    [editor, 'editor'],
    [viewer, 'viewer'],
  ] as const) {
    await json(call('POST', `/api/studios/${studio.id}/members`, owner, { email: who.email, role }), 201);
  }
  const ownerToken = await json<TokenCreated>(call('POST', '/api/tokens', owner, { name: 'live' }), 201);
  const revoked = await json<TokenCreated>(call('POST', '/api/tokens', owner, { name: 'revoked' }), 201);
  await call('DELETE', `/api/tokens/${revoked.id}`, owner);
  const ownerSshKey = await json<SshKeySummary>(
    call('POST', '/api/ssh-keys', owner, { name: 'laptop', publicKey: freshPublicKeyLine('owner') }),
    201,
  );

  const workspaceDir = (studioId: string) => t.server.services.studios.workspaceDir(studioId);
  const upload = async (studioId: string, who: Account, path: string, content: string) => {
    const response = await t.request(`/api/studios/${studioId}/files/content?path=${path}`, {
      method: 'PUT',
      headers: { cookie: who.cookie, origin: t.origin, 'content-type': 'application/octet-stream' },
      body: content,
    });
    if (response.status !== 201)
      throw new Error(`fixture upload: ${response.status} ${await response.text()}`);
  };
  await upload(studio.id, owner, 'readme.md', '# Readme\n');
  await upload(otherStudio.id, stranger, 'secret', SIBLING_SECRET);
  const outsideDir = join(t.dataDir, 'outside');
  mkdirSync(outsideDir);
  writeFileSync(join(outsideDir, 'secret.txt'), OUTSIDE_SECRET);

  await json(call('POST', `/api/studios/${studio.id}/start`, owner), 202);
  await waitFor(async () => (await driver.status(studio.id)).state === 'running', { timeoutMs: 60_000 });
  // Symlinks a user creates from a terminal inside their Studio, aimed at the canaries' host paths.
  const inStudio = async (script: string) => {
    const session = await driver.exec(studio.id, { cmd: ['sh', '-c', script], tty: false });
    session.end();
    const code = await session.exit;
    session.dispose();
    if (code !== 0) throw new Error(`fixture: "${script}" exited with ${code}`);
  };
  await inStudio(
    `ln -s ${outsideDir} /workspace/escape-dir && ln -s ${outsideDir}/secret.txt /workspace/escape-file`,
  );
  // The Studio's processes that a request could start (shells, later kernels), counted from
  // inside: the agent (node) and the counting pipeline are left out, and the count is taken
  // once it holds still (a login shell's profile runs short-lived helpers of its own).
  const countOnce = async () => {
    const script = 'ps -e -o comm= | grep -v -x -e ps -e sh -e grep -e wc -e node | wc -l';
    const session = await driver.exec(studio.id, { cmd: ['sh', '-c', script], tty: false });
    let out = '';
    session.onData((chunk) => {
      out += chunk.toString();
    });
    session.end();
    await session.exit;
    session.dispose();
    return Number(out.trim());
  };
  const processCount = async () => {
    let previous = await countOnce();
    return waitFor(
      async () => {
        const now = await countOnce();
        const steady = now === previous;
        previous = now;
        return steady ? now + 1 : 0; // +1: a steady count of 0 is an answer too
      },
      { timeoutMs: 10_000, intervalMs: 200, what: "the Studio's process count to hold still" },
    ).then((count) => count - 1);
  };
  const terminal = await json<{ id: string }>(
    call('POST', `/api/studios/${studio.id}/terminals`, owner, { name: 'shared' }),
    201,
  );
  const terminals = t.server.features.find((feature) => feature.name === 'terminals') as TerminalsFeature;

  return {
    t,
    driver,
    processCount,
    terminals,
    owner,
    editor,
    viewer,
    stranger,
    studio,
    otherStudio,
    missingStudioId: 'nosuchstudio'.padEnd(25, '0'),
    terminalId: terminal.id,
    ownerToken,
    ownerSshKey,
    revokedToken: revoked.token,
    outsideDir,
    workspaceDir,
    call,
    close: async () => {
      await t.close();
      for (const id of [studio.id, otherStudio.id]) await driver.remove(id).catch(() => {});
      await driver.dispose();
    },
  };
}

/**
 * One fixture for the calling test file: started before its tests and closed after them. The
 * returned object is filled in by `beforeAll`, so read it only inside hooks and tests.
 */
export function useSecurityFixture(options: SecurityFixtureOptions = {}): SecurityFixture {
  const fixture = {} as SecurityFixture;
  beforeAll(async () => {
    Object.assign(fixture, await startSecurityFixture(options));
  });
  afterAll(async () => {
    await fixture.close();
  });
  return fixture;
}
