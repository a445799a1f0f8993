import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { HostKey } from '../keys/host-key';

const run = promisify(execFile);

export interface ClientKey {
  /** Path of the private key (the public one is `<path>.pub`). */
  path: string;
  /** The `.pub` line. */
  publicLine: string;
  /** The wire blob the gateway receives. */
  blob: Buffer;
}

let keyCount = 0;

/** Makes a key pair with the real ssh-keygen (a new file each time: it never overwrites). */
export async function makeClientKey(dir: string, type: string, bits?: number): Promise<ClientKey> {
  keyCount += 1;
  const path = join(dir, `id_${type}${bits ? `_${bits}` : ''}_${keyCount}`);
  const args = ['-q', '-t', type, '-N', '', '-C', `test-${type}`, '-f', path];
  if (bits) args.push('-b', String(bits));
  await run('ssh-keygen', args);
  const publicLine = readFileSync(`${path}.pub`, 'utf8').trim();
  return { path, publicLine, blob: Buffer.from(publicLine.split(' ')[1] ?? '', 'base64') };
}

/** What `ssh-keygen -lf` prints as the fingerprint of a public key file. */
export async function keygenFingerprint(publicKeyPath: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-lf', publicKeyPath]);
  return stdout.split(' ')[1] ?? '';
}

/** The OpenSSH client pointed at one gateway: strict host key checking, one identity, no config. */
export class OpenSshClient {
  readonly knownHosts: string;

  constructor(
    dir: string,
    hostKey: HostKey,
    readonly port: number,
    readonly key: ClientKey,
    readonly user = 'ssh-test',
  ) {
    this.knownHosts = join(dir, 'known_hosts');
    writeFileSync(this.knownHosts, `[127.0.0.1]:${port} ${hostKey.publicKey}\n`);
  }

  /** Options shared by ssh, sftp and scp; `-i` names this client's key first. */
  options(extra: string[] = []): string[] {
    return [
      '-F',
      '/dev/null',
      '-o',
      `UserKnownHostsFile=${this.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'LogLevel=ERROR',
      '-i',
      this.key.path,
      ...extra,
    ];
  }

  /** `ssh user@127.0.0.1 -p port <args>`, with `input` on stdin. */
  ssh(args: string[], input = ''): Promise<ProcessResult> {
    return runProcess(
      'ssh',
      [...this.options(), '-p', String(this.port), `${this.user}@127.0.0.1`, ...args],
      input,
    );
  }

  /** Runs sftp in batch mode with these commands. */
  sftp(commands: string): Promise<ProcessResult> {
    return runProcess(
      'sftp',
      [...this.options(), '-P', String(this.port), '-b', '-', `${this.user}@127.0.0.1`],
      commands,
    );
  }

  scp(from: string, to: string): Promise<ProcessResult> {
    return runProcess('scp', [...this.options(), '-P', String(this.port), from, to], '');
  }

  /** `user@127.0.0.1:` for scp paths. */
  remote(path: string): string {
    return `${this.user}@127.0.0.1:${path}`;
  }
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to its end with `input` on stdin (closed after). */
export function runProcess(file: string, args: string[], input: string): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
