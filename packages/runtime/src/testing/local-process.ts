import { readFileSync } from 'node:fs';
import type { ExecSession } from '../driver';

/** Collects a session's output as text. */
export function collectOutput(session: ExecSession): { stdout: () => string; stderr: () => string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  session.onData((chunk) => out.push(chunk));
  session.onStderr((chunk) => err.push(chunk));
  return { stdout: () => Buffer.concat(out).toString(), stderr: () => Buffer.concat(err).toString() };
}

/** True while `pid` runs. A zombie (dead, waiting for its new parent to reap it) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^\d+ \(.*\) (\S)/.exec(stat)?.[1] !== 'Z';
  } catch {
    return false;
  }
}
