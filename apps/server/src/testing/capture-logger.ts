import type { Logger } from '@studios/base';
import { createJsonLogger } from '../logger';

/** A debug-level JSON logger that keeps its lines, for asserting what was (not) logged. */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createJsonLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}
