import { existsSync, readFileSync } from 'node:fs';
import type { Studio } from '@studios/protocol';
import { ApiError, type StudiosApi } from '../api-client';
import { type ParsedArgs, stringFlag } from '../args';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { findStudio } from '../find-studio';
import { findDefaultPublicKey, keyFingerprint, parsePublicKey, privateKeyPathFor } from '../public-keys';
import { openApi } from '../session';
import { withIdentityFile } from '../ssh-config-block';
import { installKnownHost, installSshConfigBlock } from '../ssh-files';
import { expandPath } from '../user-path';

/** The key ssh should offer: the private key file, and its public half when it is there. */
interface Identity {
  privateKey: string;
  publicKey: string | undefined;
}

/** `--identity` (a private or a `.pub` path), else the key `studios key add` would pick. */
function identityFor(args: ParsedArgs, ctx: CliContext): Identity | undefined {
  const given = stringFlag(args, 'identity');
  if (given === undefined) {
    const publicKey = findDefaultPublicKey(ctx.home);
    return publicKey ? { privateKey: privateKeyPathFor(publicKey), publicKey } : undefined;
  }
  const path = expandPath(given, ctx.home);
  if (path.endsWith('.pub')) return { privateKey: privateKeyPathFor(path), publicKey: path };
  return { privateKey: path, publicKey: existsSync(`${path}.pub`) ? `${path}.pub` : undefined };
}

async function connectInfo(api: StudiosApi, studio: Studio) {
  return api.studioSsh(studio.id).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 403) {
      throw new CliError(
        `you are ${studio.role} of '${studio.name}': SSH needs the owner or editor role, ask its owner`,
      );
    }
    throw error;
  });
}

/** A warning when the identity's public key is not among the account's keys (the gateway would refuse it). */
async function unregisteredKeyWarning(api: StudiosApi, identity: Identity): Promise<string | undefined> {
  if (identity.publicKey === undefined) return undefined;
  let fingerprint: string;
  try {
    fingerprint = keyFingerprint(
      parsePublicKey(readFileSync(identity.publicKey, 'utf8'), identity.publicKey),
    );
  } catch {
    return undefined;
  }
  const keys = await api.sshKeys();
  if (keys.some((key) => key.fingerprint === fingerprint)) return undefined;
  return `warning: ${identity.publicKey} is not registered with your account: run studios key add ${identity.publicKey}`;
}

export const sshConfigCommand: Command = {
  name: 'ssh-config',
  summary: 'Set up ~/.ssh/config to reach a Studio over SSH (VS Code, Cursor, ssh)',
  usage: 'studios ssh-config <studio> [--identity <path>] [--print]',
  details: `<studio> is a Studio's id or name (studios list shows them).

Writes the Studio's Host block into ~/.ssh/config between the lines
  # >>> studios <host alias> >>>   and   # <<< studios <host alias> <<<
replacing that block (or the Studio's block under its old name) and leaving the rest of the
file as it was, and adds the
gateway's host key to ~/.ssh/known_hosts. Then prints the ssh command and the editor links.

Flags:
  --identity <path>   the private key ssh should use (default: the key studios key add picks)
  --print             only print the block; change no file

Example:
  studios ssh-config "My Studio"     then: ssh <the Host alias it prints>
  studios ssh-config my-studio --print --identity ~/.ssh/work_ed25519`,
  flags: { identity: { type: 'string' }, print: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args, ctx) {
    const api = openApi(args, ctx);
    const studio = findStudio(await api.studios(), args.positionals[0] as string);
    const info = await connectInfo(api, studio);
    const identity = identityFor(args, ctx);
    const block = identity ? withIdentityFile(info.sshConfig, identity.privateKey) : info.sshConfig;
    if (args.flags.print) {
      ctx.out(block.endsWith('\n') ? block : `${block}\n`);
      return;
    }
    if (!identity) {
      throw new CliError(
        'no SSH key in ~/.ssh: make one with ssh-keygen -t ed25519, run studios key add, then run this again (or pass --identity)',
      );
    }
    if (!existsSync(identity.privateKey)) {
      throw new CliError(
        `no private key at ${identity.privateKey}: pass the key ssh should use with --identity`,
      );
    }
    if (!info.gateway.enabled) {
      ctx.err(
        `warning: the SSH gateway of ${api.server} is turned off; ask its administrator to enable it\n`,
      );
    }
    const config = installSshConfigBlock(ctx.home, info.hostAlias, block, info.user);
    ctx.out(`${config.changed ? 'Wrote' : 'Kept'} Host ${info.hostAlias} in ${config.path}\n`);
    const known = installKnownHost(ctx.home, info.gateway.knownHostsLine);
    if (known.result.status === 'conflict') {
      throw new CliError(
        `${known.path} holds another host key for ${known.result.host}: if ${api.server} changed its SSH host key, run ssh-keygen -R ${known.result.host} and run this again`,
      );
    }
    ctx.out(
      known.result.status === 'added'
        ? `Added the gateway's host key (${info.gateway.hostKey.fingerprint}) to ${known.path}\n`
        : `The gateway's host key is already in ${known.path}\n`,
    );
    const warning = await unregisteredKeyWarning(api, identity);
    if (warning) ctx.err(`${warning}\n`);
    ctx.out(`\nConnect:  ssh ${info.hostAlias}\nVS Code:  ${info.vscodeUri}\nCursor:   ${info.cursorUri}\n`);
  },
};
