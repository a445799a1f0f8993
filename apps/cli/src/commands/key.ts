import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, type SshKeySummary } from '@studios/protocol';
import { ApiError } from '../api-client';
import { stringFlag } from '../args';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { DEFAULT_PUBLIC_KEYS, defaultKeyName, findDefaultPublicKey, parsePublicKey } from '../public-keys';
import { openApi } from '../session';
import { formatTable } from '../table';
import { expandPath } from '../user-path';

function readPublicKeyFile(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error}): check the path`,
    );
  }
  return parsePublicKey(text, path);
}

const noDefaultKey = (ctx: CliContext) =>
  new CliError(
    `no public key in ${join(ctx.home, '.ssh')} (${DEFAULT_PUBLIC_KEYS.join(', ')}): make one with ssh-keygen -t ed25519, or pass its path`,
  );

export const keyAddCommand: Command = {
  name: 'key add',
  summary: 'Register an SSH public key with your account',
  usage: 'studios key add [path] [--name <name>]',
  details: `Sends the public key at [path] to the server, so the SSH gateway lets it into the Studios
you own or edit. Without a path: the first of ~/.ssh/${DEFAULT_PUBLIC_KEYS.join(', ~/.ssh/')}.

Flags:
  --name <name>   what to call the key (default: its comment, else this machine's name)

Example:
  studios key add ~/.ssh/id_ed25519.pub --name laptop`,
  flags: { name: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run(args, ctx) {
    const given = args.positionals[0];
    const path = given !== undefined ? expandPath(given, ctx.home) : findDefaultPublicKey(ctx.home);
    if (path === undefined) throw noDefaultKey(ctx);
    const key = readPublicKeyFile(path);
    const name = stringFlag(args, 'name') ?? defaultKeyName(key, ctx.hostname);
    const added = await openApi(args, ctx)
      .addSshKey({ name, publicKey: key.line })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === ErrorCode.SshKeyTaken) {
          throw new CliError(
            `${path} is already registered, to you or to someone else: studios key list shows yours`,
          );
        }
        if (error instanceof ApiError && error.code === ErrorCode.SshKeyInvalid) {
          throw new CliError(`${error.message}: use an ed25519 key (ssh-keygen -t ed25519)`);
        }
        throw error;
      });
    ctx.out(`Added key '${added.name}' (${added.algorithm}, ${added.fingerprint}) as ${added.id}\n`);
  },
};

export const keyListCommand: Command = {
  name: 'key list',
  summary: 'List your registered SSH keys',
  usage: 'studios key list [--json]',
  details: `Shows each key's id, name, type, fingerprint and when it was last used.

Flags:
  --json   print the keys as the API returns them`,
  flags: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(args, ctx) {
    const keys = await openApi(args, ctx).sshKeys();
    if (args.flags.json) {
      ctx.out(`${JSON.stringify(keys, null, 2)}\n`);
      return;
    }
    if (keys.length === 0) {
      ctx.out('No SSH keys yet: add one with studios key add\n');
      return;
    }
    const rows = keys.map((key) => [
      key.id,
      key.name,
      key.algorithm,
      key.fingerprint,
      key.lastUsedAt ?? 'never',
    ]);
    ctx.out(formatTable(['ID', 'NAME', 'TYPE', 'FINGERPRINT', 'LAST USED'], rows));
  },
};

/** The key `query` names: its id, or its fingerprint with or without the `SHA256:` prefix. */
export function findKey(keys: readonly SshKeySummary[], query: string): SshKeySummary | undefined {
  return keys.find(
    (key) => key.id === query || key.fingerprint === query || key.fingerprint === `SHA256:${query}`,
  );
}

export const keyRemoveCommand: Command = {
  name: 'key remove',
  summary: 'Remove a registered SSH key',
  usage: 'studios key remove <id|fingerprint>',
  details: `Removes the key from your account: the SSH gateway no longer accepts it. Find ids and
fingerprints with studios key list.`,
  flags: {},
  positionals: { min: 1, max: 1 },
  async run(args, ctx) {
    const query = args.positionals[0] as string;
    const api = openApi(args, ctx);
    const key = findKey(await api.sshKeys(), query);
    if (!key) throw new CliError(`you have no SSH key '${query}': studios key list shows yours`);
    await api.removeSshKey(key.id);
    ctx.out(`Removed key '${key.name}' (${key.fingerprint})\n`);
  },
};
