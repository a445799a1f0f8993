import type { Clock, Disposable, Logger } from '@studios/base';
import { Dealer, Request, Subscriber } from 'zeromq';
import { MAX_MESSAGE_BYTES } from '../wire/jupyter-message';

/**
 * The only code that touches ZeroMQ (house style: one folder per external system). Five sockets
 * to one kernel, as a Jupyter client has them:
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#introduction
 * shell, control and stdin are DEALERs, iopub a SUB to everything, heartbeat a REQ echo.
 */
export type KernelChannel = 'shell' | 'control' | 'stdin' | 'iopub' | 'hb';
export const KERNEL_CHANNELS: readonly KernelChannel[] = ['shell', 'control', 'stdin', 'iopub', 'hb'];

/** Where each channel's socket connects (`ipc://…` through the relay, `tcp://…` in tests). */
export type KernelEndpoints = Readonly<Record<KernelChannel, string>>;

/** Messages a socket queues for us before ZeroMQ stops reading (bounds memory to HWM × max size). */
const RECEIVE_HIGH_WATER_MARK = 64;

type MessageSocket = Dealer | Subscriber;

/**
 * Connected sockets and their receive loops. Inbound multipart messages go to `onMessage`;
 * nothing a kernel sends is thrown out of a loop (ZeroMQ itself drops frames above the size cap).
 */
export class KernelSockets implements Disposable {
  readonly #sockets: { shell: Dealer; control: Dealer; stdin: Dealer; iopub: Subscriber };
  readonly #endpoints: KernelEndpoints;
  readonly #log: Logger;
  #heartbeat: Request | undefined;
  #closed = false;

  constructor(
    endpoints: KernelEndpoints,
    options: {
      /** Routing id of shell and stdin: the kernel answers `input()` to the shell's identity. */
      identity: string;
      log: Logger;
      onMessage(channel: KernelChannel, frames: Buffer[]): void;
    },
  ) {
    this.#endpoints = endpoints;
    this.#log = options.log;
    const common = {
      linger: 0,
      maxMessageSize: MAX_MESSAGE_BYTES,
      receiveHighWaterMark: RECEIVE_HIGH_WATER_MARK,
      // A relay that drops is redialled by ZeroMQ itself; keep the retry quick but bounded.
      reconnectInterval: 100,
      reconnectMaxInterval: 2000,
    };
    this.#sockets = {
      shell: new Dealer({ ...common, routingId: options.identity }),
      control: new Dealer({ ...common, routingId: `${options.identity}-control` }),
      stdin: new Dealer({ ...common, routingId: options.identity }),
      iopub: new Subscriber(common),
    };
    this.#sockets.iopub.subscribe();
    for (const [channel, socket] of Object.entries(this.#sockets) as [KernelChannel, MessageSocket][]) {
      socket.connect(endpoints[channel]);
      void this.#receive(channel, socket, options.onMessage);
    }
  }

  /** Sends one multipart message; false when the socket is closed or would block too long. */
  async send(channel: 'shell' | 'control' | 'stdin', frames: Buffer[]): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.#sockets[channel].send(frames);
      return true;
    } catch (error) {
      this.#log.debug('kernel send failed', { channel, error: String(error) });
      return false;
    }
  }

  /**
   * One heartbeat: true when the kernel echoed within `timeoutMs`. A REQ socket that missed its
   * reply is stuck in "expect reply", so it is replaced (ZeroMQ's own advice for lazy pirate).
   */
  async ping(clock: Clock, timeoutMs: number): Promise<boolean> {
    if (this.#closed) return false;
    const socket = this.#heartbeat ?? this.#newHeartbeat();
    let timer: Disposable | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = clock.setTimeout(() => resolve(false), timeoutMs);
    });
    const echoed = (async () => {
      await socket.send('ping');
      await socket.receive();
      return true as const;
    })().catch(() => false as const);
    const alive = await Promise.race([echoed, timedOut]);
    timer?.dispose();
    if (!alive && this.#heartbeat === socket) {
      socket.close();
      this.#heartbeat = undefined;
    }
    return alive;
  }

  #newHeartbeat(): Request {
    const socket = new Request({ linger: 0, maxMessageSize: 1024, reconnectInterval: 100 });
    socket.connect(this.#endpoints.hb);
    this.#heartbeat = socket;
    return socket;
  }

  async #receive(
    channel: KernelChannel,
    socket: MessageSocket,
    onMessage: (channel: KernelChannel, frames: Buffer[]) => void,
  ): Promise<void> {
    try {
      for await (const frames of socket) {
        try {
          onMessage(channel, frames);
        } catch (error) {
          // A handler bug must not end the loop (and with it every later message).
          this.#log.error('kernel message handler failed', { channel, error: String(error) });
        }
      }
    } catch (error) {
      if (!this.#closed) this.#log.warn('kernel socket receive ended', { channel, error: String(error) });
    }
  }

  /** Closes every socket (linger 0: nothing queued is kept). */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const socket of Object.values(this.#sockets)) socket.close();
    this.#heartbeat?.close();
    this.#heartbeat = undefined;
  }

  /** For leak tests: whether every socket is closed. */
  get allClosed(): boolean {
    return Object.values(this.#sockets).every((socket) => socket.closed) && this.#heartbeat === undefined;
  }
}
