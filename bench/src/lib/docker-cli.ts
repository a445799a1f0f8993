import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { endsWithPrompt } from './prompt';

const run = promisify(execFile);

/** The Debian Docker CLI (the engine's own version); the newer client on PATH lacks buildx. */
export const DOCKER = '/usr/bin/docker';

/** Runs one docker CLI command and returns its stdout. */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run(DOCKER, args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Whether a container of that name exists (running or not). */
export async function containerExists(name: string): Promise<boolean> {
  return docker('container', 'inspect', name).then(
    () => true,
    () => false,
  );
}

/**
 * `docker exec -t <container> bash -l` until the login shell prints its prompt; resolves with the
 * time the prompt arrived. The CLI gets a TTY in the container without `-i` (our stdin is a
 * pipe, not a terminal), which is enough for bash to print its prompt.
 */
export function execToPrompt(container: string, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, ['exec', '-t', container, 'bash', '-l'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(
      () => finish(new Error(`no prompt from docker exec within ${timeoutMs} ms: ${output}`)),
      timeoutMs,
    );
    const finish = (result: number | Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      const at = performance.now();
      output = (output + chunk.toString('latin1')).slice(-2_000);
      if (endsWithPrompt(output)) finish(at);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', (error) => finish(error));
    child.once('exit', (code) =>
      finish(new Error(`docker exec exited with ${code} before a prompt: ${output}`)),
    );
  });
}
