import type { LogLevel } from './config';

type Fields = Record<string, unknown>;

/**
 * Structured JSON logging. Callers pass facts as fields; they must never pass cookies, tokens,
 * Authorization headers or query strings (see `http/request-log.ts`).
 */
export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger that adds `fields` to every line (e.g. `{ feature: 'collab' }`). */
  child(fields: Fields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface JsonLoggerOptions {
  level: LogLevel;
  /** Receives one JSON line per entry; defaults to stdout. */
  write?: (line: string) => void;
  now?: () => number;
  fields?: Fields;
}

/** Describes an unknown thrown value without dumping whole objects into the log. */
export function describeError(error: unknown): Fields {
  if (error instanceof Error) return { error: error.message, errorName: error.name, stack: error.stack };
  return { error: String(error) };
}

/** A logger writing one JSON object per line. */
export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const threshold = RANK[options.level];
  const base = options.fields ?? {};
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: Fields) => {
    if (RANK[level] < threshold) return;
    write(JSON.stringify({ time: new Date(now()).toISOString(), level, msg: message, ...base, ...fields }));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createJsonLogger({ ...options, fields: { ...base, ...fields } }),
  };
}
