import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { endsWithPrompt } from './prompt';

const execFileAsync = promisify(execFile);

/** Where the real OpenSSH client dials and how it authenticates: one per contender. */
export interface SshTarget {
  /** Shown in errors. */
  label: string;
  host: string;
  port: number;
  user: string;
  /** Private key file (`ssh-keygen -t ed25519`). */
  identityFile: string;
  /** known_hosts holding the pinned host key under `hostKeyAlias`. */
  knownHostsFile: string;
  hostKeyAlias: string;
  /** More `-o` pairs for every tool on this target (e.g. `Ciphers=…` in a diagnosis run). */
  extraOptions?: readonly string[];
}

/** A finished OpenSSH tool run, timed from spawn to exit on the bench's monotonic clock. */
export interface ToolRun {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

/** A fresh ed25519 key pair made by the real `ssh-keygen` in `dir`; returns its paths and public line. */
export async function makeEd25519Key(dir: string): Promise<{ privatePath: string; publicLine: string }> {
  const privatePath = path.join(dir, 'id_ed25519');
  await execFileAsync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'studios-bench',
    '-f',
    privatePath,
  ]);
  return { privatePath, publicLine: (await readFile(`${privatePath}.pub`, 'utf8')).trim() };
}

/** Writes the known_hosts file a target pins its host key with. */
export async function writeKnownHosts(file: string, line: string): Promise<void> {
  await writeFile(file, `${line}\n`);
}

/**
 * The options every tool (ssh, sftp, scp) gets: no config file, no agent, only the given key,
 * the host key pinned as Studios' connect dialog tells users to; `extra` are more `-o` pairs that
 * take precedence (OpenSSH keeps the first value of an option), e.g. `LogLevel=DEBUG1`.
 */
export function clientOptions(target: SshTarget, extra: readonly string[] = []): string[] {
  const pairs = [
    ...extra,
    ...(target.extraOptions ?? []),
    'BatchMode=yes',
    'IdentitiesOnly=yes',
    `IdentityFile=${target.identityFile}`,
    `UserKnownHostsFile=${target.knownHostsFile}`,
    'GlobalKnownHostsFile=/dev/null',
    'StrictHostKeyChecking=yes',
    `HostKeyAlias=${target.hostKeyAlias}`,
    'ConnectTimeout=30',
    'LogLevel=ERROR',
  ];
  return ['-F', '/dev/null', ...pairs.flatMap((pair) => ['-o', pair])];
}

/** `user@host` for ssh; scp and sftp take the same. */
export function destination(target: SshTarget): string {
  return `${target.user}@${target.host}`;
}

/** Runs one OpenSSH tool to its end; rejects on a non-zero exit unless `allowFailure`. */
export function runTool(
  binary: 'ssh' | 'sftp' | 'scp',
  args: readonly string[],
  options: { timeoutMs?: number; allowFailure?: boolean; what?: string } = {},
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString('utf8')).slice(-20_000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      if (code !== 0 && !options.allowFailure) {
        const what = options.what ?? `${binary} ${args.slice(-3).join(' ')}`;
        reject(new Error(`${what} exited with ${code}: ${stderr.trim().slice(-1_000)}`));
      } else resolve({ code, ms, stdout, stderr });
    });
  });
}

/** `ssh target …command`. */
export function ssh(
  target: SshTarget,
  command: readonly string[],
  extra: readonly string[] = [],
): Promise<ToolRun> {
  return runTool(
    'ssh',
    [...clientOptions(target, extra), '-p', String(target.port), destination(target), ...command],
    {
      what: `ssh ${target.label} ${command.join(' ')}`,
    },
  );
}

/** `sftp -b batchFile target`. */
export function sftpBatchRun(
  target: SshTarget,
  batchFile: string,
  extra: readonly string[] = [],
): Promise<ToolRun> {
  return runTool(
    'sftp',
    [...clientOptions(target, extra), '-P', String(target.port), '-b', batchFile, destination(target)],
    {
      what: `sftp ${target.label}`,
    },
  );
}

/** `scp -r localDir target:remoteDir` (OpenSSH 9 speaks SFTP for scp by default). */
export function scpUpRecursive(
  target: SshTarget,
  localDir: string,
  remoteDir: string,
  extra: readonly string[] = [],
): Promise<ToolRun> {
  return runTool(
    'scp',
    [
      ...clientOptions(target, extra),
      '-P',
      String(target.port),
      '-r',
      '-q',
      localDir,
      `${destination(target)}:${remoteDir}`,
    ],
    { what: `scp -r ${target.label}` },
  );
}

/**
 * `ssh -tt target` (a login shell on a PTY) until the first shell prompt arrives; resolves with
 * the time from spawn to that prompt. stdin stays open so the shell waits for input.
 */
export function sshToPrompt(target: SshTarget, timeoutMs = 120_000): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      'ssh',
      [...clientOptions(target), '-tt', '-p', String(target.port), destination(target)],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let stderr = '';
    let settled = false;
    const finish = (result: number | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.end('exit\n');
      // The shell got `exit`; anything still there after a moment is killed.
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
      if (result instanceof Error) reject(result);
      else resolve({ ms: result - started, stderr });
    };
    const timer = setTimeout(
      () =>
        finish(new Error(`no prompt from ssh ${target.label} within ${timeoutMs} ms: ${output}${stderr}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      const at = performance.now();
      output = (output + chunk.toString('latin1')).slice(-2_000);
      if (endsWithPrompt(output)) finish(at);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
    });
    child.stdin.on('error', () => {});
    child.once('error', (error) => finish(error));
    child.once('exit', (code) =>
      finish(new Error(`ssh ${target.label} exited with ${code} before a prompt: ${output}${stderr}`)),
    );
  });
}
