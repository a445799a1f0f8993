/**
 * Everything the commands take from the outside world. `main.ts` builds it from the process (the
 * only place that reads `process.env`); tests build their own.
 */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home folder (`$HOME`): `~/.ssh` and the default config folder live there. */
  readonly home: string;
  /** This machine's name: the default name of a registered key that has no comment. */
  readonly hostname: string;
  out(text: string): void;
  err(text: string): void;
  /** Asks for a secret on the terminal without echoing it; `undefined` when stdin is no terminal. */
  readSecret(prompt: string): Promise<string | undefined>;
  readonly fetch: typeof fetch;
}
