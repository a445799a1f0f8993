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

/** Temp folders a test makes as it needs them and removes together. */
export interface TempDirs {
  /** Makes one more empty folder (see {@link tempDir}) and returns its absolute path. */
  make(prefix?: string): string;
  /** Removes every folder made so far; call it in the after-hook. */
  cleanup(): void;
}

/** A set of {@link tempDir}s with one `cleanup()`, for suites that make several per test. */
export function tempDirs(): TempDirs {
  const made: TempDir[] = [];
  return {
    make: (prefix) => {
      const temp = tempDir(prefix);
      made.push(temp);
      return temp.dir;
    },
    cleanup: () => {
      for (const temp of made.splice(0)) temp.cleanup();
    },
  };
}
