import { parseArgs, splitCommand } from './args';
import type { CliContext } from './cli-context';
import { CliError, ExitCode, UsageError } from './cli-error';
import type { Command } from './command';
import { keyAddCommand, keyListCommand, keyRemoveCommand } from './commands/key';
import { listCommand } from './commands/list';
import { loginCommand, logoutCommand } from './commands/login';
import { sshConfigCommand } from './commands/ssh-config';

export const COMMANDS: readonly Command[] = [
  loginCommand,
  logoutCommand,
  listCommand,
  keyAddCommand,
  keyListCommand,
  keyRemoveCommand,
  sshConfigCommand,
];

/** First words that take a second one (`key add`). */
const GROUPS: ReadonlySet<string> = new Set(
  COMMANDS.filter((command) => command.name.includes(' ')).map(
    (command) => command.name.split(' ')[0] as string,
  ),
);

const GLOBAL_FLAGS_HELP = `Global flags:
  --server <url>    the Studios server (default: STUDIOS_SERVER, else the one studios login stored)
  --token <stu_…>   an API token (default: STUDIOS_TOKEN, else the one stored for that server)
  -h, --help        show help`;

function commandList(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return commands.map((command) => `  ${command.name.padEnd(width)}   ${command.summary}`).join('\n');
}

export function globalHelp(): string {
  return `studios: sign in to a Studios server, list your Studios, and set up SSH access for
VS Code, Cursor and plain ssh.

Usage: studios <command> [flags]

Commands:
${commandList(COMMANDS)}

${GLOBAL_FLAGS_HELP}

Run studios <command> --help for a command's flags and examples.
Config: $XDG_CONFIG_HOME/studios/config.json (default ~/.config/studios/config.json).
Exit codes: 0 done, 1 failed, 2 wrong usage.
`;
}

function groupHelp(group: string): string {
  const commands = COMMANDS.filter((command) => command.name.startsWith(`${group} `));
  return `Usage: studios ${group} <command> [flags]\n\nCommands:\n${commandList(commands)}\n`;
}

export function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}.\n\n${command.details}\n\n${GLOBAL_FLAGS_HELP}\n`;
}

function wantsHelp(rest: readonly string[]): boolean {
  const stop = rest.indexOf('--');
  return (stop === -1 ? rest : rest.slice(0, stop)).some((arg) => arg === '--help' || arg === '-h');
}

/** Help for `studios help <words…>` and bare groups: the command's, the group's, or the whole list. */
function helpFor(words: readonly string[]): string | undefined {
  const name = words.join(' ');
  if (name === '') return globalHelp();
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command) return commandHelp(command);
  return GROUPS.has(name) ? groupHelp(name) : undefined;
}

async function dispatch(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  const { words, rest } = splitCommand(argv, GROUPS);
  if (words[0] === 'help') {
    const help = helpFor(rest.filter((arg) => !arg.startsWith('-')));
    if (help === undefined) throw new UsageError(`unknown command '${rest.join(' ')}'`);
    ctx.out(help);
    return ExitCode.Ok;
  }
  const name = words.join(' ');
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    const help = words.length <= 1 ? helpFor(words) : undefined;
    if (help === undefined) throw new UsageError(`unknown command '${name}'`);
    if (wantsHelp(rest)) {
      ctx.out(help);
      return ExitCode.Ok;
    }
    // `studios --bogus` is an unknown option before it is a missing command.
    parseArgs(rest, {}, { min: 0, max: Number.POSITIVE_INFINITY }, words.join(' '));
    // A bare `studios` or `studios key`: say what there is, as a usage error.
    ctx.err(help);
    return ExitCode.Usage;
  }
  const args = parseArgs(rest, command.flags, command.positionals, command.name);
  if (args.flags.help) {
    ctx.out(commandHelp(command));
    return ExitCode.Ok;
  }
  await command.run(args, ctx);
  return ExitCode.Ok;
}

/**
 * Runs one command line and returns its exit code. Every failure ends here as one line on
 * stderr: usage errors point at `--help` (exit 2), the rest say what to do next (exit 1).
 */
export async function run(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command ? `studios ${error.command} --help` : 'studios --help';
      ctx.err(`studios: ${error.message} (see ${help})\n`);
      return ExitCode.Usage;
    }
    if (error instanceof CliError) {
      ctx.err(`studios: ${error.message}\n`);
      return error.exitCode;
    }
    // A file we could not write, a bug: still one line, with what the system said.
    ctx.err(`studios: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.Failure;
  }
}
