/** Facts attached to a log line (ids, counts, durations); never secrets. */
export type LogFields = Record<string, unknown>;

/**
 * Structured logging as packages see it: a message plus fields. The server writes JSON lines
 * (`apps/server/src/logger.ts`); packages default to {@link silentLogger}. Callers must never
 * pass cookies, tokens, Authorization headers or query strings.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ feature: 'collab' }`). */
  child(fields: LogFields): Logger;
}

const ignore = () => {};

/** A logger that drops everything: the default of packages and unit tests. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
