/** Exit codes of the studios command. */
export const ExitCode = { Ok: 0, Failure: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the CLI reports as one line on stderr. The message says what went wrong and what to
 * do next ("… run studios login"); nothing else is printed, no stack.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
  ) {
    super(message);
  }
}

/** The command line itself is wrong: unknown command or flag, missing argument (exit 2). */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` to point at, e.g. `key add`. */
    readonly command?: string,
  ) {
    super(message, ExitCode.Usage);
  }
}
