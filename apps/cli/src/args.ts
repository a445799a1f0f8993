import { parseArgs as parseNodeArgs } from 'node:util';
import { UsageError } from './cli-error';

/** A `--flag`: a string that takes a value, or a boolean switch. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
}
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** Flags every command accepts. */
export const GLOBAL_FLAGS = {
  server: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

export interface ParsedArgs {
  flags: Readonly<Record<string, string | boolean | undefined>>;
  positionals: readonly string[];
}

/**
 * Splits the command words (`list`; `key add`, where `key` is one of `groups`) from the rest,
 * skipping global flags and their values wherever they stand: `studios --server x key add` and
 * `studios key add --server x` are the same command. The rest keeps its order.
 */
export function splitCommand(
  argv: readonly string[],
  groups: ReadonlySet<string>,
): { words: string[]; rest: string[] } {
  const takesValue = new Set(
    Object.entries(GLOBAL_FLAGS)
      .filter(([, spec]) => spec.type === 'string')
      .map(([name]) => `--${name}`),
  );
  const words: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const wantsWord = words.length === 0 || (words.length === 1 && groups.has(words[0] as string));
    if (arg.startsWith('-') && arg !== '-') {
      rest.push(arg);
      if (takesValue.has(arg) && i + 1 < argv.length) rest.push(argv[++i] as string);
    } else if (wantsWord) {
      words.push(arg);
    } else {
      rest.push(arg);
    }
  }
  return { words, rest };
}

/**
 * Parses a command's arguments against its flags plus the global ones. Unknown flags, a string
 * flag without a value and too few or too many positionals are usage errors naming the command.
 */
export function parseArgs(
  argv: readonly string[],
  flags: FlagSpecs,
  positionals: { min: number; max: number },
  command: string,
): ParsedArgs {
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({
      args: [...argv],
      options: { ...GLOBAL_FLAGS, ...flags },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(usageMessage(error), command);
  }
  // No flag is declared `multiple`, so no value is an array.
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const given = parsed.positionals;
  if (values.help) return { flags: values, positionals: given };
  for (const [name, spec] of Object.entries({ ...GLOBAL_FLAGS, ...flags })) {
    if (spec.type === 'string' && values[name] === '') {
      throw new UsageError(`--${name} needs a value`, command);
    }
  }
  if (given.length < positionals.min) throw new UsageError('missing argument', command);
  if (given.length > positionals.max) {
    throw new UsageError(`unexpected argument '${given[positionals.max]}'`, command);
  }
  return { flags: values, positionals: given };
}

/** Node's messages, shortened to the part a person needs. */
function usageMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return `unknown option ${option ?? ''}`.trim();
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--[^' ]+)/.exec(message)?.[1];
    return option ? `${option} needs a value` : message;
  }
  return message.split('\n')[0] ?? message;
}

/** A flag's value as a string, when it is one. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}
