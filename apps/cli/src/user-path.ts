import { join, resolve } from 'node:path';

/** A path as a person typed it: `~/…` expanded (a quoted path reaches us unexpanded), relative to the cwd. */
export function expandPath(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : resolve(path);
}
