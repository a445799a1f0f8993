import { normalizeServer, StudiosApi } from './api-client';
import { type ParsedArgs, stringFlag } from './args';
import type { CliContext } from './cli-context';
import { CliError } from './cli-error';
import { configPath, readConfig } from './config-file';

/**
 * The server and token a command uses: `--server`/`--token`, else `STUDIOS_SERVER`/
 * `STUDIOS_TOKEN`, else what `studios login` stored. The stored token is only ever sent to the
 * stored server: pointing `--server` elsewhere never leaks it there.
 */
export function resolveCredentials(args: ParsedArgs, ctx: CliContext): { server: string; token: string } {
  const givenServer = stringFlag(args, 'server') ?? nonEmpty(ctx.env.STUDIOS_SERVER);
  const givenToken = stringFlag(args, 'token') ?? nonEmpty(ctx.env.STUDIOS_TOKEN);
  // The file is read only when something is missing: flags or env alone work without it.
  const stored = givenServer && givenToken ? undefined : readConfig(configPath(ctx.env, ctx.home));
  const rawServer = givenServer ?? stored?.server;
  if (rawServer === undefined) throw new CliError('no Studios server: run studios login --server <url>');
  const server = normalizeServer(rawServer);
  const storedToken = stored && normalizeServer(stored.server) === server ? stored.token : undefined;
  const token = givenToken ?? storedToken;
  if (token === undefined)
    throw new CliError(`not signed in to ${server}: run studios login --server ${server}`);
  return { server, token };
}

/** An API client for the resolved server and token. */
export function openApi(args: ParsedArgs, ctx: CliContext): StudiosApi {
  const { server, token } = resolveCredentials(args, ctx);
  return new StudiosApi(server, token, ctx.fetch);
}

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
