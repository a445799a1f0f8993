import { ApiError, normalizeServer, StudiosApi } from '../api-client';
import { stringFlag } from '../args';
import { CliError, UsageError } from '../cli-error';
import type { Command } from '../command';
import { configPath, readConfig, removeConfig, writeConfig } from '../config-file';
import { nonEmpty } from '../session';

const CREATE_TOKEN_HINT = 'create one in the web app (your avatar → API tokens)';

export const loginCommand: Command = {
  name: 'login',
  summary: 'Sign in to a Studios server with an API token',
  usage: 'studios login --server <url> [--token <stu_…>]',
  details: `Checks the token with the server, then stores the server and token in
$XDG_CONFIG_HOME/studios/config.json (default ~/.config/studios/config.json), readable by you only.

The token comes from --token, else STUDIOS_TOKEN, else a prompt on the terminal (not echoed).
Create one in the web app: your avatar → API tokens.

Example:
  studios login --server https://studios.example.com`,
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(args, ctx) {
    const path = configPath(ctx.env, ctx.home);
    const rawServer =
      stringFlag(args, 'server') ?? nonEmpty(ctx.env.STUDIOS_SERVER) ?? readConfig(path)?.server;
    if (rawServer === undefined) throw new UsageError('--server <url> is required', 'login');
    const server = normalizeServer(rawServer);
    let token = stringFlag(args, 'token') ?? nonEmpty(ctx.env.STUDIOS_TOKEN);
    token ??= nonEmpty(await ctx.readSecret(`API token for ${server}: `));
    if (token === undefined) {
      throw new UsageError(
        `no token: pass --token <stu_…> or set STUDIOS_TOKEN (${CREATE_TOKEN_HINT})`,
        'login',
      );
    }
    if (!token.startsWith('stu_')) {
      throw new CliError(`that is not a Studios API token (those start with stu_): ${CREATE_TOKEN_HINT}`);
    }
    const user = await new StudiosApi(server, token, ctx.fetch).me().catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        throw new CliError(
          `${server} did not accept this token (revoked or mistyped?): ${CREATE_TOKEN_HINT}`,
        );
      }
      throw error;
    });
    writeConfig(path, { server, token });
    ctx.out(`Signed in to ${server} as ${user.name} <${user.email}> (saved in ${path})\n`);
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Forget the stored server and token',
  usage: 'studios logout',
  details: `Removes the config file studios login wrote. The token itself stays valid until you
revoke it in the web app (your avatar → API tokens).`,
  flags: {},
  positionals: { min: 0, max: 0 },
  async run(_args, ctx) {
    const path = configPath(ctx.env, ctx.home);
    const stored = readConfig(path);
    if (!removeConfig(path)) {
      ctx.out(`Not signed in (no ${path})\n`);
      return;
    }
    ctx.out(
      `Signed out of ${stored?.server ?? 'Studios'} (removed ${path}); revoke the token in the web app if it may have leaked\n`,
    );
  },
};
