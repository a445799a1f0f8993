import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@studios/base';
import type { Studio, TokenCreated } from '@studios/protocol';
import { LocalDriver } from '@studios/runtime';
import { isolatedHome, waitFor } from '@studios/testkit';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../config';
import { agentsFeature } from '../features/agents';
import { collabFeature } from '../features/collab';
import type { Feature } from '../features/feature';
import { runtimeFeature } from '../features/runtime';
import { type TerminalsFeature, terminalsFeature } from '../features/terminals';
import type { FeatureFactory } from '../server';
import { type Account, jsonInit, type ListeningTestServer, signUp, startTestServer } from './test-server';

/** An account with its session cookie. */
/** How a request authenticates: an account's cookie, a bearer token, or a raw header set. */
export type Caller = Account | { token: string } | undefined;

/** Content of the file planted in the other Studio's workspace; must never leak. */
export const SIBLING_SECRET = 'sibling-secret-7f3a9c';
/** Content of the file planted outside every workspace; must never leak. */
export const OUTSIDE_SECRET = 'outside-secret-52be10';

/**
 * A real listening server wired like `main.ts` (collab, runtime with the LocalDriver, terminals)
 * with one running Studio that has an owner, an editor and a viewer, a shared terminal and a
 * file; a stranger who owns a second Studio; and canary files outside the first workspace.
 */
export interface SecurityFixture {
  t: ListeningTestServer;
  driver: LocalDriver;
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
  let driver: LocalDriver | undefined;
  const home = isolatedHome();
  const features: FeatureFactory[] = [
    runtimeFeature(),
    agentsFeature(),
    collabFeature({ writeDebounceMs: 50 }),
    terminalsFeature(),
    ...(options.extraFeatures ?? []).map((feature) => () => feature),
  ];
  const t = await startTestServer({
    runtime: (agent) => {
      driver = new LocalDriver({ agent, killGraceMs: 200, home });
      return driver;
    },
    features,
    ...(options.config ? { config: options.config } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  if (!driver) throw new Error('the test server did not build its driver');
  const localDriver: LocalDriver = driver;
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

  const workspaceDir = (studioId: string) => t.server.services.studios.workspaceDir(studioId);
  writeFileSync(join(workspaceDir(studio.id), 'readme.md'), '# Readme\n');
  writeFileSync(join(workspaceDir(otherStudio.id), 'secret'), SIBLING_SECRET);
  const outsideDir = join(t.dataDir, 'outside');
  mkdirSync(outsideDir);
  writeFileSync(join(outsideDir, 'secret.txt'), OUTSIDE_SECRET);
  // Symlinks a user could create from a terminal inside their Studio.
  symlinkSync(outsideDir, join(workspaceDir(studio.id), 'escape-dir'));
  symlinkSync(join(outsideDir, 'secret.txt'), join(workspaceDir(studio.id), 'escape-file'));

  await json(call('POST', `/api/studios/${studio.id}/start`, owner), 202);
  await waitFor(async () => (await localDriver.status(studio.id)).state === 'running');
  const terminal = await json<{ id: string }>(
    call('POST', `/api/studios/${studio.id}/terminals`, owner, { name: 'shared' }),
    201,
  );
  const terminals = t.server.features.find((feature) => feature.name === 'terminals') as TerminalsFeature;

  return {
    t,
    driver: localDriver,
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
    revokedToken: revoked.token,
    outsideDir,
    workspaceDir,
    call,
    close: async () => {
      await t.close();
      await waitFor(() => localDriver.stats().processes === 0);
      await localDriver.dispose();
      rmSync(home, { recursive: true, force: true });
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
