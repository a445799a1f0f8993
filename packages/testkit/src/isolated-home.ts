import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const homes: string[] = [];

/**
 * A fresh, empty HOME for login shells started by tests with the local runtime. The machine
 * user's own profile can hang a test (e.g. `pyenv rehash` waiting on a lock that an earlier
 * test's killed shell left behind), and tests must not leave files in the real home.
 */
export function isolatedHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'studios-test-home-'));
  homes.push(home);
  return home;
}

/** Removes every home made by `isolatedHome` in this process. */
export function removeIsolatedHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
}
