import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshGatewayInfo, SshKeySummary } from '@studios/protocol';
import { tempDir } from '@studios/testkit';
import { type Account, callAs, type ListeningTestServer } from './index';

/** A key pair made by the real `ssh-keygen`, in a temp folder of its own. */
export interface TestKey {
  privatePath: string;
  publicLine: string;
  dispose(): void;
}

export function makeKey(type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519', bits?: number): TestKey {
  const { dir, cleanup } = tempDir('studios-ssh-key-');
  const privatePath = join(dir, `id_${type}`);
  const args = ['-q', '-t', type, '-N', '', '-C', `test-${type}`, '-f', privatePath];
  if (bits) args.push('-b', String(bits));
  execFileSync('ssh-keygen', args);
  const publicLine = execFileSync('cat', [`${privatePath}.pub`])
    .toString()
    .trim();
  return { privatePath, publicLine, dispose: cleanup };
}

/** Registers `key` for `who` over the API. */
export async function addKey(
  t: ListeningTestServer,
  who: Account,
  key: TestKey,
  name = 'laptop',
): Promise<SshKeySummary> {
  const response = await callAs(t, who, 'POST', '/api/ssh-keys', { name, publicKey: key.publicLine });
  if (response.status !== 201) throw new Error(`adding a key: ${response.status} ${await response.text()}`);
  return (await response.json()) as SshKeySummary;
}

export interface SshResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * The real OpenSSH client pointed at a Studios gateway: the host key pinned from `GET /api/ssh`
 * exactly as the connect dialog tells users to (`HostKeyAlias`, strict checking), no config
 * file, no agent, only the given key.
 */
export class SshClient {
  readonly #dir: { dir: string; cleanup: () => void };
  readonly knownHosts: string;

  constructor(
    readonly gateway: SshGatewayInfo,
    readonly key: TestKey,
  ) {
    this.#dir = tempDir('studios-ssh-client-');
    this.knownHosts = join(this.#dir.dir, 'known_hosts');
    writeFileSync(this.knownHosts, `${gateway.knownHostsLine}\n`);
  }

  static async for(t: ListeningTestServer, who: Account, key: TestKey): Promise<SshClient> {
    const response = await callAs(t, who, 'GET', '/api/ssh');
    if (response.status !== 200) throw new Error(`GET /api/ssh: ${response.status}`);
    return new SshClient((await response.json()) as SshGatewayInfo, key);
  }

  /** Options every tool (ssh, sftp, scp) takes, as `-o` pairs. */
  options(extra: string[] = []): string[] {
    const pairs = [
      'BatchMode=yes',
      'IdentitiesOnly=yes',
      `IdentityFile=${this.key.privatePath}`,
      `UserKnownHostsFile=${this.knownHosts}`,
      'GlobalKnownHostsFile=/dev/null',
      'StrictHostKeyChecking=yes',
      `HostKeyAlias=${this.gateway.hostKeyAlias}`,
      'ConnectTimeout=20',
      'LogLevel=ERROR',
      ...extra,
    ];
    return ['-F', '/dev/null', ...pairs.flatMap((pair) => ['-o', pair])];
  }

  /** `ssh …flags -p <port> <user>@<host> …command`; `extraOptions` are `-o` pairs. */
  spawn(user: string, command: string[], extraOptions: string[] = [], flags: string[] = []): ChildProcess {
    return spawn(
      'ssh',
      [
        ...this.options(extraOptions),
        ...flags,
        '-p',
        String(this.gateway.port),
        `${user}@127.0.0.1`,
        ...command,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
  }

  /** Runs `ssh` to the end; `input` is written to its stdin. */
  run(
    user: string,
    command: string[],
    options: { input?: string | Buffer; extra?: string[]; flags?: string[] } = {},
  ): Promise<SshResult> {
    return finish(this.spawn(user, command, options.extra, options.flags), options.input);
  }

  /** Runs `sftp -b <batch>` against the Studio. */
  sftp(user: string, batch: string): Promise<SshResult> {
    const batchFile = join(this.#dir.dir, `batch-${Date.now()}-${Math.random()}`);
    writeFileSync(batchFile, batch);
    const child = spawn(
      'sftp',
      [...this.options(), '-P', String(this.gateway.port), '-b', batchFile, `${user}@127.0.0.1`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return finish(child);
  }

  /** Runs `scp` with `remote:` in `args` standing for the Studio. */
  scp(user: string, args: string[]): Promise<SshResult> {
    const mapped = args.map((arg) => (arg.startsWith('remote:') ? `${user}@127.0.0.1:${arg.slice(7)}` : arg));
    const child = spawn('scp', [...this.options(), '-P', String(this.gateway.port), ...mapped], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return finish(child);
  }

  dispose(): void {
    this.#dir.cleanup();
  }
}

/** Waits for a child to end, collecting its output. */
export function finish(child: ChildProcess, input?: string | Buffer): Promise<SshResult> {
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (child.stdin) {
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(stdout), stderr }));
  });
}

/**
 * An sftp session kept open (`sftp -b -`, commands on stdin), so a test can run one command at a
 * moment it chooses, without the few hundred milliseconds of connecting and logging in.
 */
export class SftpSession {
  readonly #child: ChildProcess;
  #output = '';
  #done = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      this.#output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#output += chunk.toString();
    });
  }

  static async open(client: SshClient, user: string): Promise<SftpSession> {
    const child = spawn(
      'sftp',
      [...client.options(), '-P', String(client.gateway.port), '-b', '-', `${user}@127.0.0.1`],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const session = new SftpSession(child);
    await session.run('pwd');
    return session;
  }

  /** Runs one command and resolves once sftp has finished it (a `pwd` after it has answered). */
  async run(command: string): Promise<void> {
    const marker = 'Remote working directory:';
    this.#done += 1;
    const expected = this.#done;
    this.#child.stdin?.write(`${command}\npwd\n`);
    const count = () => this.#output.split(marker).length - 1;
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`sftp did not finish "${command}":\n${this.#output}`)),
        20_000,
      );
      const check = () => {
        if (this.#child.exitCode !== null) {
          clearTimeout(deadline);
          reject(new Error(`sftp exited during "${command}":\n${this.#output}`));
        } else if (count() >= expected) {
          clearTimeout(deadline);
          resolve();
        } else {
          setTimeout(check, 10);
        }
      };
      check();
    });
  }

  get output(): string {
    return this.#output;
  }

  close(): Promise<SshResult> {
    return finish(this.#child);
  }
}
