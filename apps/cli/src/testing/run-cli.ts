import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const bin = resolve(import.meta.dirname, '../../bin/studios.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bin/studios.mjs` as a child process, as `npx studios` does, with only the given
 * environment (plus PATH): no token or server of the machine running the tests leaks in.
 */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return run(process.execPath, [bin, ...args], env);
}

/** Runs the real OpenSSH client, with the same limits. */
export function runSsh(args: readonly string[]): Promise<CliRun> {
  return run('ssh', args, {});
}

function run(command: string, args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(command, [...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A hung command fails the test instead of outliving it.
    const limit = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(limit);
      done({ code, stdout, stderr });
    });
  });
}
