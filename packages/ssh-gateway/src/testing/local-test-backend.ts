import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Disposable, toDisposable } from '@studios/base';
import type { MachineType } from '@studios/protocol';
import { type ExecOptions, type ExecSession, LocalDriver } from '@studios/runtime';
import { emptyAgentFolders, isolatedHome } from '@studios/testkit';
import type {
  SshChannelKind,
  SshConnectionControl,
  SshGatewayBackend,
  SshLoginAttempt,
  SshPrincipal,
  SshStudioSession,
} from '../gateway-backend';

const machine: MachineType = {
  id: 'cpu-2',
  label: '2 CPUs',
  cpus: 2,
  memoryMb: 4096,
  pids: 512,
  gpus: 0,
  image: 'x',
};

/** What the gateway did through the backend, for assertions. */
export interface BackendRecord {
  attempts: string[];
  authorizations: SshLoginAttempt[];
  connections: SshConnectionControl[];
  execs: ExecOptions[];
  resizes: Array<{ cols: number; rows: number }>;
  /** How often the gateway paused a process because its client was not reading. */
  pauses: number;
  /** Ports the gateway asked to reach. */
  ports: number[];
  activity: SshChannelKind[];
  /** Channels open now, by kind. */
  open: Record<SshChannelKind, number>;
  disposedSessions: number;
}

/**
 * A backend on the real local runtime: one Studio (a temp folder, shells with an empty HOME),
 * one user name, the keys registered with `allowKey`, and ports reached on the host's loopback.
 */
export class LocalTestBackend implements SshGatewayBackend {
  static readonly studioId = 'ssh-test';
  readonly driver: LocalDriver;
  readonly record: BackendRecord = {
    attempts: [],
    authorizations: [],
    connections: [],
    execs: [],
    resizes: [],
    ports: [],
    pauses: 0,
    activity: [],
    open: { shell: 0, exec: 0, sftp: 0, forward: 0 },
    disposedSessions: 0,
  };
  /** Set to false to make `allowAttempt` refuse everything. */
  allowAttempts = true;
  /** Set to make `ready` fail with this message. */
  readyFailure: string | undefined;
  readonly #keys = new Map<string, SshPrincipal>();

  constructor(
    readonly workspace: string,
    readonly username = 'ssh-test',
  ) {
    // PATH only, not the machine's environment: the gateway decides TERM, LANG and SSH_*.
    this.driver = new LocalDriver({
      agent: emptyAgentFolders(),
      killGraceMs: 500,
      home: isolatedHome(),
      baseEnv: { PATH: process.env.PATH },
    });
  }

  async start(): Promise<void> {
    await this.driver.ensure({ studioId: LocalTestBackend.studioId, workspaceDir: this.workspace, machine });
  }

  /** Lets the key with this wire blob in as `userName`. */
  allowKey(blob: Buffer, userName = 'alice'): void {
    this.#keys.set(blob.toString('base64'), {
      userId: `user-${userName}`,
      userName,
      keyId: `key-${this.#keys.size + 1}`,
      studioId: LocalTestBackend.studioId,
      studioName: 'SSH test',
    });
  }

  allowAttempt(remoteAddress: string): boolean {
    this.record.attempts.push(remoteAddress);
    return this.allowAttempts;
  }

  async authorize(attempt: SshLoginAttempt): Promise<SshPrincipal | null> {
    this.record.authorizations.push(attempt);
    if (attempt.username !== this.username) return null;
    return this.#keys.get(attempt.keyBlob.toString('base64')) ?? null;
  }

  connect(_principal: SshPrincipal, control: SshConnectionControl): SshStudioSession {
    this.record.connections.push(control);
    const { driver, record } = this;
    const studioId = LocalTestBackend.studioId;
    return {
      ready: async (notice) => {
        if (this.readyFailure) throw new Error(this.readyFailure);
        if ((await driver.status(studioId)).state !== 'running') {
          notice("Starting Studio 'SSH test'…");
          await driver.start(studioId);
        }
      },
      exec: async (options) => {
        record.execs.push(options);
        return recordCalls(await driver.exec(studioId, options), record);
      },
      connectPort: (port) => {
        record.ports.push(port);
        return connectLoopback(port);
      },
      activity: (kind) => record.activity.push(kind),
      channelOpened: (kind): Disposable => {
        record.open[kind] += 1;
        return toDisposable(() => {
          record.open[kind] -= 1;
        });
      },
      dispose: () => {
        record.disposedSessions += 1;
      },
    };
  }

  async dispose(): Promise<void> {
    await this.driver.dispose();
  }
}

function recordCalls(exec: ExecSession, record: BackendRecord): ExecSession {
  const pause = exec.pause.bind(exec);
  exec.pause = () => {
    record.pauses += 1;
    pause();
  };
  const resize = exec.resize.bind(exec);
  exec.resize = (cols, rows) => {
    record.resizes.push({ cols, rows });
    return resize(cols, rows);
  };
  return exec;
}

function connectLoopback(port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
