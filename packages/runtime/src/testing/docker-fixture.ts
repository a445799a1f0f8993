import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { containerName } from '../docker/names';
import type { RuntimeDriver } from '../driver';

/** A unique Studio id per test run, so parallel runs and leftovers never collide. */
export function uniqueStudioId(prefix = 'it'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** A workspace folder owned by the Studio user (uid 1000), as the server prepares it. */
export async function makeWorkspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'studios-ws-'));
  if (process.getuid?.() === 0) await chown(dir, 1000, 1000);
  return dir;
}

export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Runs a command to completion and collects its output. */
export async function run(
  driver: RuntimeDriver,
  studioId: string,
  cmd: string[],
  options: { user?: string; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const session = await driver.exec(studioId, {
    cmd,
    tty: false,
    ...(options.user ? { user: options.user } : {}),
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  session.onData((chunk) => stdout.push(chunk));
  session.onStderr((chunk) => stderr.push(chunk));
  if (options.stdin !== undefined) session.write(options.stdin);
  session.end();
  const code = await session.exit;
  session.dispose();
  return { code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

/** `sh -c script` as the Studio user (or `user`). */
export function sh(driver: RuntimeDriver, studioId: string, script: string, user?: string) {
  return run(driver, studioId, ['sh', '-c', script], user ? { user } : {});
}

/**
 * A Studio container's address on its own network, as the engine reports it: tests dial it from
 * the host to prove a listener is really there (the server itself reaches ports only through
 * the agent).
 */
export async function containerAddress(studioId: string): Promise<string> {
  const info = await new Docker().getContainer(containerName(studioId)).inspect();
  const address = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
  if (!address) throw new Error(`${studioId} has no network address`);
  return address;
}
