import type { ExecSession, RuntimeDriver } from '@studios/runtime';

/** `sh -c script` inside the running Studio as its user, as a terminal would run it. */
export async function runInStudio(
  driver: RuntimeDriver,
  studioId: string,
  script: string,
): Promise<{ code: number; output: string }> {
  const session = await startInStudio(driver, studioId, script);
  const output: Buffer[] = [];
  session.onData((chunk) => output.push(chunk));
  session.onStderr((chunk) => output.push(chunk));
  session.end();
  const code = await session.exit;
  session.dispose();
  return { code, output: Buffer.concat(output).toString('utf8') };
}

/** Starts `sh -c script` in the Studio as its user and returns the running session (the caller disposes it). */
export function startInStudio(driver: RuntimeDriver, studioId: string, script: string): Promise<ExecSession> {
  return driver.exec(studioId, { cmd: ['sh', '-c', script], tty: false });
}
