import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp dir, and the way to remove it. */
export interface TempDir {
  /** Absolute path of the (initially empty) folder. */
  readonly dir: string;
  /** Removes the folder and everything in it; safe to call twice. */
  cleanup(): void;
}

/**
 * Makes an empty temp folder named `<prefix>XXXXXX`. Call `cleanup()` in the matching after-hook,
 * so tests leave nothing behind (house rule 8).
 */
export function tempDir(prefix = 'studios-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
