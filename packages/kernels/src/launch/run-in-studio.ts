import { type Clock, systemClock } from '@studios/base';
import { ErrorCode, StudiosError } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';

/** What a short command inside a Studio printed, and how it ended. */
export interface StudioCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a short command inside the Studio as its user (`RuntimeDriver.exec`, never a host
 * process) and collects its output. The output is the Studio's to choose, so it is capped, and
 * a command that does not finish in time is killed.
 */
export async function runInStudio(
  driver: RuntimeDriver,
  studioId: string,
  cmd: string[],
  options: { clock?: Clock; timeoutMs?: number; maxBytes?: number } = {},
): Promise<StudioCommandResult> {
  const clock = options.clock ?? systemClock;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const session = await driver.exec(studioId, { cmd, tty: false });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    size += chunk.byteLength;
    if (size > maxBytes) {
      overflow = true;
      session.dispose();
      return;
    }
    into.push(chunk);
  };
  const subscriptions = [session.onData(collect(stdout)), session.onStderr(collect(stderr))];
  session.end();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    session.dispose();
  }, options.timeoutMs ?? 30_000);
  try {
    const code = await session.exit;
    if (overflow)
      throw new StudiosError(ErrorCode.RuntimeError, `${cmd[0]} printed more than ${maxBytes} bytes.`);
    if (timedOut) throw new StudiosError(ErrorCode.RuntimeError, `${cmd[0]} did not finish in time.`);
    return {
      code,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  } finally {
    timer.dispose();
    for (const subscription of subscriptions) subscription.dispose();
    session.dispose();
  }
}

/** The last JSON line a command printed (python scripts print one result line), or undefined. */
export function lastJsonLine(output: string): unknown {
  const line = output.trim().split('\n').pop();
  if (!line) return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
