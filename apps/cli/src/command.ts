import type { FlagSpecs, ParsedArgs } from './args';
import type { CliContext } from './cli-context';

/** One command of the CLI: its words, help and flags, and what it does. */
export interface Command {
  /** `list`, or `key add` for a command in a group. */
  readonly name: string;
  /** One line for `studios --help`. */
  readonly summary: string;
  /** `studios key add [path] [--name <name>]`. */
  readonly usage: string;
  /** The rest of `studios <command> --help`: what it does, its flags, examples. */
  readonly details: string;
  readonly flags: FlagSpecs;
  readonly positionals: { min: number; max: number };
  run(args: ParsedArgs, ctx: CliContext): Promise<void>;
}
