import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { waitFor } from '@studios/testkit';
import { DOCKER, docker } from './docker-cli';
import { type SshTarget, ssh } from './openssh-client';

/** The bench-only image: OpenSSH's sshd in the Studio base image (docker/bench-sshd). */
export const BENCH_SSHD_IMAGE = 'studios/bench-sshd:latest';
const CONTEXT_FILES = ['Dockerfile', 'sshd_config', 'entrypoint.sh'];
const DIGEST_LABEL = 'io.studios.dockerfile';

/** A Studio container's limits, copied onto the peer so both run in the same container kind. */
export interface ContainerLimits {
  nanoCpus: number;
  memoryBytes: number;
  pids: number;
}

/** Reads the limits Docker enforces on a running container (`docker inspect`). */
export async function containerLimits(container: string): Promise<ContainerLimits> {
  const json = await docker('inspect', '-f', '{{json .HostConfig}}', container);
  const host = JSON.parse(json) as { NanoCpus: number; Memory: number; PidsLimit: number | null };
  return { nanoCpus: host.NanoCpus, memoryBytes: host.Memory, pids: host.PidsLimit ?? 0 };
}

/**
 * Builds `studios/bench-sshd` unless an image of the same context (digest label) exists; the
 * legacy builder's step lines are relayed through `log`. Needs `studios/base:latest`.
 */
export async function ensureBenchSshdImage(repoRoot: string, log: (line: string) => void): Promise<void> {
  const contextDir = path.join(repoRoot, 'docker', 'bench-sshd');
  const hash = createHash('sha256');
  for (const file of CONTEXT_FILES) hash.update(await readFile(path.join(contextDir, file)));
  const digest = hash.digest('hex').slice(0, 12);
  const current = await docker(
    'image',
    'inspect',
    '-f',
    `{{index .Config.Labels "${DIGEST_LABEL}"}}`,
    BENCH_SSHD_IMAGE,
  )
    .then((out) => out.trim())
    .catch(() => '');
  if (current === digest) return;
  log(`building ${BENCH_SSHD_IMAGE} (${digest}): studios/base + openssh-server, about 30 s…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      DOCKER,
      ['build', '--label', `${DIGEST_LABEL}=${digest}`, '-t', BENCH_SSHD_IMAGE, contextDir],
      {
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let tail = '';
    const relay = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-4_000);
      for (const line of text.split('\n')) if (/^Step \d+\/\d+/.test(line)) log(`  ${line.trim()}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`docker build of ${BENCH_SSHD_IMAGE} failed (${code}): ${tail}`)),
    );
  });
  log(`built ${BENCH_SSHD_IMAGE}`);
}

/**
 * OpenSSH's sshd in a container of the Studio kind: same base image, the Studio's CPU, memory
 * and pids limits, tini as init, no capabilities, no-new-privileges, its own bridge network,
 * a host folder as /workspace; port 2222 published on 127.0.0.1 only. Owns the container and
 * the network and removes both on dispose.
 */
export class SshdPeer implements AsyncDisposable {
  private constructor(
    readonly container: string,
    readonly network: string,
    readonly hostPort: number,
  ) {}

  static async create(options: {
    hostPort: number;
    workspaceDir: string;
    authorizedKey: string;
    limits: ContainerLimits;
  }): Promise<SshdPeer> {
    const suffix = randomUUID().slice(0, 8);
    const peer = new SshdPeer(`studios-bench-sshd-${suffix}`, `studios-bench-s9-${suffix}`, options.hostPort);
    try {
      await docker('network', 'create', '--label', 'io.studios.bench=s9', peer.network);
      await docker(
        'create',
        '--name',
        peer.container,
        '--label',
        'io.studios.bench=s9',
        '--init',
        '--network',
        peer.network,
        '--cpus',
        String(options.limits.nanoCpus / 1e9),
        '--memory',
        String(options.limits.memoryBytes),
        '--memory-swap',
        String(options.limits.memoryBytes),
        '--pids-limit',
        String(options.limits.pids),
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        '--log-opt',
        'max-size=1m',
        '-p',
        `127.0.0.1:${options.hostPort}:2222`,
        '--mount',
        `type=bind,source=${options.workspaceDir},target=/workspace`,
        '-e',
        `STUDIOS_BENCH_AUTHORIZED_KEY=${options.authorizedKey}`,
        BENCH_SSHD_IMAGE,
      );
    } catch (error) {
      await peer[Symbol.asyncDispose]();
      throw error;
    }
    return peer;
  }

  async start(): Promise<void> {
    await docker('start', this.container);
  }

  async stop(): Promise<void> {
    await docker('stop', '-t', '10', this.container);
  }

  /** The container's host key (made by its entrypoint on first start), as an OpenSSH public key line. */
  async hostPublicKey(): Promise<string> {
    const file = '/home/studio/.sshd/ssh_host_ed25519_key.pub';
    return waitFor(
      () =>
        docker('exec', this.container, 'cat', file).then(
          (out) => out.trim(),
          () => undefined,
        ),
      {
        timeoutMs: 30_000,
        intervalMs: 50,
        what: `${this.container}'s host key`,
      },
    );
  }

  /**
   * Retries `ssh true` until sshd answers: right after `docker start`, docker-proxy already
   * accepts on the published port and hangs up until sshd listens. Resolves with when it answered.
   */
  async untilAnswering(target: SshTarget, timeoutMs = 60_000): Promise<number> {
    await waitFor(
      () =>
        ssh(target, ['true'], ['ConnectTimeout=5']).then(
          () => true,
          () => false,
        ),
      {
        timeoutMs,
        intervalMs: 10,
        what: `sshd in ${this.container} to answer`,
      },
    );
    return performance.now();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await docker('rm', '-f', this.container).catch(() => undefined);
    await docker('network', 'rm', this.network).catch(() => undefined);
  }
}
