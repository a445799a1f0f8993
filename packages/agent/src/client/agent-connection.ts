import { timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { type Clock, type Disposable, systemClock } from '@studios/base';
import {
  AGENT_PROTOCOL_VERSION,
  AgentFailure,
  AgentHello,
  type AgentOp,
  AgentReply,
  type AgentRequest,
  ErrorCode,
  StudiosError,
} from '@studios/protocol';
import type { z } from 'zod';
import type { MuxChannel } from '../mux/channel';
import { channelReadable } from '../mux/channel-streams';
import { Mux } from '../mux/mux';
import { agentGone } from './agent-gone';
import { collectBytes, windowSized } from './channel-reads';

/** The reply header of `op`, as validated. */
export type ReplyOf<Op extends AgentOp> = z.infer<(typeof AgentReply)[Op]>;

/** A request with its op, typed. */
type RequestOf<Op extends AgentOp> = Extract<AgentRequest, { op: Op }>;

/** How long an agent may take to say hello after connecting, and to answer a request (defaults). */
const HELLO_DEADLINE_MS = 10_000;
const REPLY_DEADLINE_MS = 60_000;

/**
 * Replies collected whole (listings, documents) may hold this much of the server's memory at
 * once per connection; each is capped on its own too (32 MB for a listing).
 */
const MAX_COLLECTED_BYTES = 64 * 1024 * 1024;

/**
 * Reply streams (downloads) open at once per connection. Each may hold a window (1 MB) of the
 * server's memory while its reader is slow: without a cap, 512 stalled downloads held 512 MB.
 */
const MAX_STREAMS = 64;

/** How an accepted connection is timed; defaults suit production, tests shorten them. */
export interface AgentConnectionOptions {
  clock?: Clock;
  /** How long a new connection may take to say hello. Default 10 s. */
  helloTimeoutMs?: number;
  /** How long the agent may keep a request waiting on it. Default 60 s. */
  replyTimeoutMs?: number;
}

/**
 * The server's end of one agent connection, after the hello. Every request opens a channel; the
 * agent's first message is validated against the op's reply schema (or the failure schema), so
 * nothing the agent sends reaches a caller unchecked. A malformed reply ends the connection.
 */
export class AgentConnection implements Disposable {
  readonly #mux: Mux;
  readonly #clock: Clock;
  readonly #replyTimeoutMs: number;
  /** Bytes of replies being collected on this connection right now (see {@link collect}). */
  #collected = 0;
  /** Reply streams open on this connection (see {@link readable}). */
  #streams = 0;
  readonly agentVersion: string;
  /** Channels of requests under way, watches excepted: what a graceful close waits for. */
  #inFlight = 0;
  #drained: (() => void) | undefined;

  private constructor(mux: Mux, agentVersion: string, clock: Clock, replyTimeoutMs: number) {
    this.#mux = mux;
    this.agentVersion = agentVersion;
    this.#clock = clock;
    this.#replyTimeoutMs = replyTimeoutMs;
  }

  /**
   * Waits for the agent's hello on a freshly accepted socket, checks its protocol and token
   * (`acceptToken` says whether a token is current), and answers with a welcome.
   */
  static accept(
    socket: Socket,
    options: AgentConnectionOptions & { acceptToken(token: string): boolean },
  ): Promise<AgentConnection> {
    const clock = options.clock ?? systemClock;
    const mux = new Mux(socket, { side: 'server', clock });
    return new Promise((resolve, reject) => {
      const refuse = (why: string) => {
        mux.close(new Error(why));
        reject(new Error(why));
      };
      const timer = clock.setTimeout(
        () => refuse('no hello from the agent in time'),
        options.helloTimeoutMs ?? HELLO_DEADLINE_MS,
      );
      mux.onClose((error) => {
        timer.dispose();
        reject(error ?? new Error('closed before its hello'));
      });
      mux.onHello((raw) => {
        timer.dispose();
        const hello = AgentHello.safeParse(raw);
        if (!hello.success) return refuse('malformed hello');
        if (hello.data.protocol !== AGENT_PROTOCOL_VERSION) {
          return refuse(`agent speaks protocol ${hello.data.protocol}, not ${AGENT_PROTOCOL_VERSION}`);
        }
        if (!options.acceptToken(hello.data.token)) return refuse('unknown agent token');
        mux.hello({ type: 'welcome', protocol: AGENT_PROTOCOL_VERSION });
        resolve(
          new AgentConnection(
            mux,
            hello.data.agentVersion,
            clock,
            options.replyTimeoutMs ?? REPLY_DEADLINE_MS,
          ),
        );
      });
    });
  }

  get isClosed(): boolean {
    return this.#mux.isClosed;
  }

  onClose(listener: (error: Error | undefined) => void): Disposable {
    return this.#mux.onClose(listener);
  }

  /** Round trip to the agent and back, in ms. */
  ping(timeoutMs?: number): Promise<number> {
    return this.#mux.ping(timeoutMs);
  }

  /**
   * Opens a channel for `request`, sends `body` (then END) when given, and resolves with the
   * validated reply header and the channel (for DATA that follows). Throws the agent's named
   * failure as a StudiosError. The caller closes the channel when done with it.
   */
  async request<Op extends AgentOp>(
    request: RequestOf<Op>,
    body?: Uint8Array | AsyncIterable<Uint8Array> | Readable,
  ): Promise<{ reply: ReplyOf<Op>; channel: MuxChannel }> {
    if (this.#mux.isClosed) throw agentGone('not connected');
    const channel = this.#open(request);
    // A watch lives as long as the connection; it never holds a graceful close up.
    if (request.op !== 'fs.watch') {
      this.#inFlight += 1;
      channel.onClose(() => {
        this.#inFlight -= 1;
        if (this.#inFlight === 0) this.#drained?.();
      });
    }
    const sending = body === undefined ? Promise.resolve() : this.#send(channel, request.op, body);
    // A send that fails because the agent answered early (e.g. "too large") is not the story.
    const sent = sending.catch(() => {});
    try {
      const reply = await this.#firstMessage(channel, request.op, sent);
      return { reply, channel };
    } catch (error) {
      channel.close();
      throw error;
    }
  }

  /**
   * Closes the connection once the requests under way have finished (or after `deadlineMs`):
   * how an agent hands over to its successor (a sandbox to the agent inside the started
   * Studio) without failing an upload in the middle. New requests go to the successor.
   */
  closeWhenIdle(deadlineMs: number): Promise<void> {
    if (this.#inFlight === 0 || this.#mux.isClosed) {
      this.dispose();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        timer.dispose();
        this.#drained = undefined;
        this.dispose();
        resolve();
      };
      const timer = this.#clock.setTimeout(finish, deadlineMs);
      this.#drained = finish;
    });
  }

  /** A channel for `request`; too many open at once (stalled downloads, say) is a named failure. */
  #open(request: AgentRequest): MuxChannel {
    try {
      return this.#mux.open(request);
    } catch (error) {
      throw new StudiosError(
        ErrorCode.RuntimeError,
        `The Studio's agent cannot take more at once (${error instanceof Error ? error.message : 'busy'}); try again in a moment.`,
        { cause: error },
      );
    }
  }

  /** The agent is not speaking the protocol: end the connection (nothing else it says is trusted). */
  abandon(reason: string): void {
    this.#mux.close(new Error(reason));
  }

  /**
   * A reply's DATA up to its END (at most `maxBytes`), closing the channel. An agent that goes
   * quiet mid-reply for the reply deadline fails it, like one that never answers.
   */
  async collect(channel: MuxChannel, op: AgentOp, maxBytes: number): Promise<Buffer> {
    let timer: Disposable | undefined;
    let held = 0;
    const arm = () => {
      timer?.dispose();
      timer = this.#clock.setTimeout(
        () => this.#missedDeadline(channel, `no data for ${op} within ${this.#seconds} s`),
        this.#replyTimeoutMs,
      );
    };
    arm();
    try {
      return await collectBytes(channel, maxBytes, (bytes) => {
        arm();
        // Each reply is capped, but an agent could fill many at once: all of them together
        // may hold only so much of the server's memory.
        if (this.#collected + bytes > MAX_COLLECTED_BYTES) {
          return `more than ${MAX_COLLECTED_BYTES / (1024 * 1024)} MB of replies at once`;
        }
        this.#collected += bytes;
        held += bytes;
        return undefined;
      });
    } finally {
      timer?.dispose();
      this.#collected -= held;
    }
  }

  /**
   * A reply's DATA as a stream paced by its reader. While the reader waits for more, the agent
   * must send some within the reply deadline (a download must not hang on a stalled agent); a
   * slow reader costs the agent nothing. Failures are StudiosErrors, like every agent failure.
   * Each such stream may hold up to a window of the server's memory while its reader is slow,
   * so a connection has at most {@link MAX_STREAMS} at once.
   */
  readable(channel: MuxChannel, op: AgentOp): Readable {
    if (this.#streams >= MAX_STREAMS) {
      channel.close('too many streams');
      throw new StudiosError(
        ErrorCode.RuntimeError,
        `The Studio already has ${MAX_STREAMS} downloads under way; try again when one has finished.`,
      );
    }
    this.#streams += 1;
    channel.onClose(() => {
      this.#streams -= 1;
    });
    let timer: Disposable | undefined;
    return channelReadable(channel, {
      toError: agentGone,
      onWaiting: (waiting) => {
        timer?.dispose();
        timer = waiting
          ? this.#clock.setTimeout(
              () => this.#missedDeadline(channel, `no data for ${op} within ${this.#seconds} s`),
              this.#replyTimeoutMs,
            )
          : undefined;
      },
    });
  }

  /**
   * Sends a request's body, then END. Each piece must be taken by the agent within the reply
   * deadline: an agent that stops granting window would otherwise hold the request forever (the
   * time spent waiting for the body's own source, e.g. a slow upload, does not count).
   */
  async #send(channel: MuxChannel, op: AgentOp, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    for await (const piece of windowSized(body)) {
      let timer: Disposable | undefined;
      const write = channel.write(piece);
      await new Promise<void>((resolve, reject) => {
        timer = this.#clock.setTimeout(
          () => this.#missedDeadline(channel, `the agent stopped reading ${op} for ${this.#seconds} s`),
          this.#replyTimeoutMs,
        );
        write.then(resolve, reject);
      }).finally(() => timer?.dispose());
    }
    await channel.end();
  }

  /**
   * The agent left a request waiting past its deadline: the request fails now. If the agent does
   * not answer a ping either, it is hung (or hostile) and the connection ends, so the next
   * request starts a fresh agent; an agent that answers is busy (a huge delete) and is kept.
   */
  #missedDeadline(channel: MuxChannel, why: string): void {
    channel.close(why);
    this.#mux.ping(Math.min(this.#replyTimeoutMs, 10_000)).catch(() => {
      this.abandon(`${why}, and no answer to a ping`);
    });
  }

  get #seconds(): number {
    return this.#replyTimeoutMs / 1000;
  }

  /** The reply header; the deadline for it runs from when the request's body has been sent. */
  #firstMessage<Op extends AgentOp>(channel: MuxChannel, op: Op, sent: Promise<void>): Promise<ReplyOf<Op>> {
    return new Promise((resolve, reject) => {
      let timer: Disposable | undefined;
      void sent.then(() => {
        if (settled) return;
        timer = this.#clock.setTimeout(
          () => this.#missedDeadline(channel, `no answer to ${op} within ${this.#seconds} s`),
          this.#replyTimeoutMs,
        );
      });
      let settled = false;
      const done = () => {
        settled = true;
        timer?.dispose();
        for (const subscription of subscriptions) subscription.dispose();
      };
      const subscriptions = [
        channel.onMessage((message) => {
          done();
          const failure = AgentFailure.safeParse(message);
          if (failure.success)
            return reject(new StudiosError(failure.data.error.code, failure.data.error.message));
          const reply = AgentReply[op].safeParse(message);
          if (reply.success) return resolve(reply.data as ReplyOf<Op>);
          this.abandon(`malformed ${op} reply`);
          reject(agentGone(`malformed ${op} reply`));
        }),
        channel.onClose((reason) => {
          done();
          reject(agentGone(reason ?? `${op} closed without an answer`));
        }),
      ];
    });
  }

  dispose(): void {
    this.#mux.close();
  }
}

/** Compares two tokens in constant time. */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
