import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write';
import { CliError } from './cli-error';

/** What `studios login` stores: the server and an API token for it. */
export const StoredConfig = z.object({ server: z.string().min(1), token: z.string().min(1) });
export type StoredConfig = z.infer<typeof StoredConfig>;

/**
 * `$XDG_CONFIG_HOME/studios/config.json`, else `~/.config/studios/config.json`. A relative
 * XDG_CONFIG_HOME is ignored, as the XDG base directory specification says.
 */
export function configPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CONFIG_HOME?.trim();
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
  return join(base, 'studios', 'config.json');
}

/** The stored config, or `undefined` when there is none. */
export function readConfig(path: string): StoredConfig | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path} (${(error as Error).message}): fix its permissions or remove it`);
  }
  try {
    return StoredConfig.parse(JSON.parse(text));
  } catch {
    throw new CliError(`${path} is damaged: remove it and run studios login`);
  }
}

/** Stores the config readable by its owner only: the folder 0700, the file 0600. */
export function writeConfig(path: string, config: StoredConfig): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only to folders it creates (and is masked by the umask).
  chmodSync(folder, 0o700);
  writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  chmodSync(path, 0o600);
}

/** Removes the stored config; false when there was none. */
export function removeConfig(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}
