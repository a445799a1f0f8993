import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Clock, Disposable, Logger } from '@studios/base';
import type {
  AcceptConnection,
  ClientInfo,
  Connection,
  RejectConnection,
  ServerChannel,
  Session,
  TcpipRequestInfo,
} from 'ssh2';
import type {
  SshChannelKind,
  SshConnectionControl,
  SshGatewayBackend,
  SshStudioSession,
} from '../gateway-backend';
import { throttled } from './activity';
import { GATEWAY_LIMITS } from './limits';
import { Login } from './login';
import { isAllowedForward, openForward } from './port-forward';
import { SessionChannel } from './session-channel';
import type { ConnectionEndpoints } from './session-env';

export interface GatewayConnectionOptions {
  backend: SshGatewayBackend;
  log: Logger;
  clock: Clock;
  sftpServer: string[];
  /** Called once when the connection has ended, for the gateway's bookkeeping. */
  onClosed: () => void;
}

/** One client connection: login, then its channels on the Studio the backend hands out. */
export class GatewayConnection implements SshConnectionControl, Disposable {
  readonly id = randomUUID();
  readonly remoteAddress: string;
  readonly clientVersion: string;
  readonly #log: Logger;
  readonly #login: Login;
  readonly #endpoints: ConnectionEndpoints;
  /** Open SSH channels (running sessions and forwards) and what releases each one's presence. */
  readonly #channels = new Map<ServerChannel, () => void>();
  readonly #sessions = new Set<SessionChannel>();
  #channelCount = 0;
  #studio: SshStudioSession | undefined;
  #loginTimer: Disposable | undefined;
  #closed = false;

  constructor(
    private readonly client: Connection,
    info: ClientInfo,
    private readonly socket: Socket,
    private readonly options: GatewayConnectionOptions,
  ) {
    this.remoteAddress = info.ip;
    this.clientVersion = `${info.header.versions.software}${info.header.comments ? ` ${info.header.comments}` : ''}`;
    this.#endpoints = {
      remoteAddress: info.ip,
      remotePort: info.port,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
    };
    this.#log = options.log.child({ connection: this.id, remoteAddress: this.remoteAddress });
    this.#login = new Login({
      backend: options.backend,
      remoteAddress: this.remoteAddress,
      log: this.#log,
      onTooManyFailures: () => this.close('Too many authentication failures'),
    });
    // A client that never finishes logging in holds a socket and a key exchange: cut it off.
    this.#loginTimer = options.clock.setTimeout(
      () => this.close('Login took too long'),
      GATEWAY_LIMITS.loginGraceMs,
    );
    client.on('error', (error: Error) => this.#log.debug('ssh connection error', { error: error.message }));
    client.on('authentication', (ctx) => this.#login.handle(ctx));
    client.on('ready', () => this.#ready());
    client.on('close', () => this.dispose());
    client.on('session', (accept: AcceptConnection<Session>, reject: RejectConnection) =>
      this.#openSession(accept, reject),
    );
    client.on(
      'tcpip',
      (accept: AcceptConnection<ServerChannel>, reject: RejectConnection, info: TcpipRequestInfo) =>
        this.#openForward(accept, reject, info),
    );
    // Unix-socket forwarding has no place in a Studio; ssh2 would refuse it anyway, say why.
    client.on('openssh.streamlocal', (_accept: unknown, reject: RejectConnection) => reject());
    // Remote forwarding (-R) would open listeners inside the gateway's reach: refused. OpenSSH's
    // keepalive@openssh.com never reaches here: ssh2 answers it with REQUEST_FAILURE, which
    // OpenSSH counts as a live server.
    client.on('request', (_accept: unknown, reject: RejectConnection | undefined, name: string) => {
      this.#log.debug('ssh global request refused', { name });
      reject?.();
    });
  }

  #ready(): void {
    this.#loginTimer?.dispose();
    const principal = this.#login.principal;
    if (!principal || this.#closed) {
      this.close('Login without a verified principal');
      return;
    }
    try {
      this.#studio = this.options.backend.connect(principal, this);
      this.#log.info('ssh login', { userId: principal.userId, studioId: principal.studioId });
    } catch (error) {
      this.#log.error('ssh connect failed', { error: String(error) });
      this.close('The Studio is unavailable');
    }
  }

  #reserveChannel(): boolean {
    if (!this.#studio || this.#closed || this.#channelCount >= GATEWAY_LIMITS.maxChannels) return false;
    this.#channelCount += 1;
    return true;
  }

  #releaseChannel = (): void => {
    this.#channelCount -= 1;
  };

  #traffic = (kind: SshChannelKind): (() => void) => {
    const studio = this.#studio;
    return throttled(this.options.clock, GATEWAY_LIMITS.activityIntervalMs, () => studio?.activity(kind));
  };

  #track = (channel: ServerChannel, kind: SshChannelKind): (() => void) => {
    const presence = this.#studio?.channelOpened(kind);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#channels.delete(channel);
      presence?.dispose();
    };
    this.#channels.set(channel, release);
    return release;
  };

  #openSession(accept: AcceptConnection<Session>, reject: RejectConnection): void {
    const studio = this.#studio;
    if (!studio || !this.#reserveChannel()) {
      reject();
      return;
    }
    const session = accept();
    const channel = new SessionChannel(session, {
      studio,
      endpoints: this.#endpoints,
      sftpServer: this.options.sftpServer,
      log: this.#log,
      traffic: this.#traffic,
      track: this.#track,
    });
    this.#sessions.add(channel);
    session.once('close', () => {
      this.#sessions.delete(channel);
      this.#releaseChannel();
    });
  }

  #openForward(
    accept: AcceptConnection<ServerChannel>,
    reject: RejectConnection,
    info: TcpipRequestInfo,
  ): void {
    const studio = this.#studio;
    if (!isAllowedForward(info)) {
      this.#log.info('ssh forward refused', { destination: info.destIP, port: info.destPort });
      reject();
      return;
    }
    if (!studio || !this.#reserveChannel()) {
      reject();
      return;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#releaseChannel();
    };
    const refuse = () => {
      reject();
      release();
    };
    void openForward(accept, refuse, info, {
      studio,
      log: this.#log,
      onTraffic: this.#traffic('forward'),
      track: (channel, kind) => {
        const untrack = this.#track(channel, kind);
        return () => {
          untrack();
          release();
        };
      },
    });
  }

  /** Ends the connection and every channel on it at once (revocation, shutdown, abuse). */
  close(reason: string): void {
    if (this.#closed) return;
    this.#log.info('ssh connection closed by server', { reason });
    for (const channel of this.#channels.keys()) {
      try {
        if (channel.type === 'session' && channel.stderr.writable) channel.stderr.write(`${reason}\r\n`);
      } catch {
        // The channel may already be half gone; the goodbye is best effort.
      }
    }
    this.dispose();
    this.client.end();
    // end() asks politely; a peer that ignores the disconnect is cut off shortly after.
    this.options.clock.setTimeout(() => this.socket.destroy(), GATEWAY_LIMITS.closeGraceMs);
  }

  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#loginTimer?.dispose();
    for (const session of this.#sessions) session.dispose();
    this.#sessions.clear();
    for (const release of [...this.#channels.values()]) release();
    try {
      this.#studio?.dispose();
    } catch (error) {
      this.#log.error('ssh studio session dispose failed', { error: String(error) });
    }
    this.options.onClosed();
  }
}
