import type { Command } from '../command';
import { openApi } from '../session';
import { formatTable } from '../table';

export const listCommand: Command = {
  name: 'list',
  summary: 'List the Studios you can open',
  usage: 'studios list [--json]',
  details: `Shows each Studio's id, name, your role in it and whether it runs.

Flags:
  --json   print the Studios as the API returns them`,
  flags: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(args, ctx) {
    const studios = await openApi(args, ctx).studios();
    if (args.flags.json) {
      ctx.out(`${JSON.stringify(studios, null, 2)}\n`);
      return;
    }
    if (studios.length === 0) {
      ctx.out('No Studios yet: create one in the web app\n');
      return;
    }
    const rows = studios.map((studio) => [studio.id, studio.name, studio.role, studio.runtime.state]);
    ctx.out(formatTable(['ID', 'NAME', 'ROLE', 'STATE'], rows));
  },
};
