import type { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { type Clock, type Disposable, systemClock } from '@studios/base';
import {
  type AgentDocRead,
  type AgentFileStamp,
  type AgentTreeChange,
  AgentWatchEvent,
  ErrorCode,
  FileEntry,
  normalizeWorkspacePath,
  StudiosError,
} from '@studios/protocol';
import { z } from 'zod';
import { channelDuplex } from '../mux/channel-streams';
import type { AgentConnection } from './agent-connection';
import { capBytes } from './channel-reads';

/** Where requests go: the Studio's current agent connection (waiting for one if needed). */
export type AgentConnector = () => Promise<AgentConnection>;

/** Listing replies above this are refused (10,000 entries of long paths fit easily). */
const MAX_LIST_BYTES = 32 * 1024 * 1024;
/** Watch batches processed per second per Studio; beyond that the agent is slowed by flow control. */
const MAX_WATCH_MESSAGES_PER_SECOND = 50;

/**
 * A Studio's workspace as the server sees it: every operation runs inside the Studio, through
 * its agent, as the Studio user. Paths are checked here first (clear errors without a round
 * trip) and again by the agent. Operations that are safe to repeat are retried once on the
 * next agent when the connection drops (the agent restarted, or the Studio started or stopped).
 */
export class AgentFiles {
  readonly #connect: AgentConnector;
  readonly #clock: Clock;

  constructor(connect: AgentConnector, options: { clock?: Clock } = {}) {
    this.#connect = connect;
    this.#clock = options.clock ?? systemClock;
  }

  async list(maxEntries = 10_000): Promise<{ entries: FileEntry[]; truncated: boolean }> {
    return this.#retrying(async (agent) => {
      const { reply, channel } = await agent.request({ op: 'fs.list', maxEntries });
      const bytes = await agent.collect(channel, 'fs.list', MAX_LIST_BYTES);
      const entries = z.array(FileEntry).max(maxEntries).safeParse(parseJson(bytes));
      if (!entries.success) {
        agent.abandon('malformed file listing');
        throw new StudiosError(ErrorCode.RuntimeError, "The Studio's agent sent a malformed file listing.");
      }
      return { entries: entries.data, truncated: reply.truncated };
    });
  }

  async stat(path: string): Promise<FileEntry> {
    const checked = normalizeWorkspacePath(path);
    return this.#retrying(async (agent) => entryOf(await agent.request({ op: 'fs.stat', path: checked })));
  }

  async createFile(path: string): Promise<FileEntry> {
    const request = { op: 'fs.create', path: normalizeWorkspacePath(path), kind: 'file' } as const;
    return entryOf(await (await this.#connect()).request(request));
  }

  async createDirectory(path: string): Promise<FileEntry> {
    const checked = normalizeWorkspacePath(path);
    return entryOf(
      await (await this.#connect()).request({ op: 'fs.create', path: checked, kind: 'directory' }),
    );
  }

  async move(from: string, to: string): Promise<FileEntry> {
    const request = {
      op: 'fs.move',
      from: normalizeWorkspacePath(from),
      to: normalizeWorkspacePath(to),
    } as const;
    return entryOf(await (await this.#connect()).request(request));
  }

  async remove(path: string): Promise<void> {
    const { channel } = await (await this.#connect()).request({
      op: 'fs.remove',
      path: normalizeWorkspacePath(path),
    });
    channel.close();
  }

  /** Opens a file for download: its entry, and a stream paced by whoever reads it. */
  async read(path: string): Promise<{ entry: FileEntry; stream: Readable }> {
    const checked = normalizeWorkspacePath(path);
    return this.#retrying(async (agent) => {
      const { reply, channel } = await agent.request({ op: 'fs.read', path: checked });
      const source = agent.readable(channel, 'fs.read');
      source.once('end', () => channel.close());
      const stream = pipeline(source, capBytes(reply.entry.size), () => channel.close());
      return { entry: reply.entry, stream };
    });
  }

  /** Replaces (or creates) a file atomically inside the Studio; at most `maxBytes`. */
  async write(
    path: string,
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: { maxBytes: number },
  ): Promise<FileEntry> {
    const request = {
      op: 'fs.write',
      path: normalizeWorkspacePath(path),
      maxBytes: options.maxBytes,
    } as const;
    const { reply, channel } = await (await this.#connect()).request(request, content);
    channel.close();
    return reply.entry;
  }

  /** A live document's file: text and its stamp, or why it cannot be served live. */
  async readDocument(path: string, maxBytes: number): Promise<{ file: AgentDocRead; text?: string }> {
    const checked = normalizeWorkspacePath(path);
    return this.#retrying(async (agent) => {
      const { reply, channel } = await agent.request({ op: 'doc.read', path: checked, maxBytes });
      const bytes = await agent.collect(channel, 'doc.read', maxBytes);
      if (reply.file.kind !== 'text') return { file: reply.file };
      return { file: reply.file, text: bytes.toString('utf8') };
    });
  }

  async documentStamp(path: string): Promise<AgentFileStamp | null> {
    const checked = normalizeWorkspacePath(path);
    return this.#retrying(async (agent) => {
      const { reply, channel } = await agent.request({ op: 'doc.stamp', path: checked });
      channel.close();
      return reply.stamp;
    });
  }

  /** Writes a document's text atomically; `existing` is the file as last stamped (null: missing). */
  async writeDocument(path: string, text: string, existing?: AgentFileStamp | null): Promise<AgentFileStamp> {
    const checked = normalizeWorkspacePath(path);
    const bytes = Buffer.from(text, 'utf8');
    return this.#retrying(async (agent) => {
      const request = {
        op: 'doc.write',
        path: checked,
        ...(existing !== undefined ? { existing } : {}),
      } as const;
      const { reply, channel } = await agent.request(request, bytes);
      channel.close();
      return reply.stamp;
    });
  }

  /** Removes the file only if it is still inode `ino` (our own save racing a rename or delete). */
  async removeIfSame(path: string, ino: number): Promise<boolean> {
    const checked = normalizeWorkspacePath(path);
    return this.#retrying(async (agent) => {
      const { reply, channel } = await agent.request({ op: 'doc.remove-if-same', path: checked, ino });
      channel.close();
      return reply.removed;
    });
  }

  /** A TCP connection to 127.0.0.1:`port` inside the Studio. */
  async connectPort(port: number): Promise<Duplex> {
    const { channel } = await (await this.#connect()).request({ op: 'port.connect', port });
    return channelDuplex(channel);
  }

  /**
   * Tree changes of the workspace, whoever makes them (terminal, git, editors, SSH), across agent
   * restarts: after a reconnect `onResync` says changes may have been missed. Batches are
   * validated; a flood is slowed down by flow control, not buffered.
   */
  watch(onChanges: (changes: AgentTreeChange[]) => void, onResync: () => void): Disposable {
    let stopped = false;
    let current: { dispose(): void } | undefined;
    const subscribe = async (): Promise<void> => {
      let first = true;
      while (!stopped) {
        try {
          const agent = await this.#connect();
          const { channel } = await agent.request({ op: 'fs.watch' });
          if (stopped) return channel.close();
          current = channel;
          if (!first) onResync();
          channel.useManualAck();
          const pace = new MessagePacer(this.#clock, MAX_WATCH_MESSAGES_PER_SECOND);
          channel.onMessage((message) => {
            const event = AgentWatchEvent.safeParse(message);
            if (!event.success) return agent.abandon('malformed watch event');
            onChanges(event.data.changes);
            pace.after(() => channel.ack(Buffer.byteLength(JSON.stringify(message))));
          });
          await new Promise<void>((resolve) => channel.onClose(() => resolve()));
        } catch {
          // No agent right now: try again shortly.
        }
        first = false;
        if (!stopped) await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, 1_000));
      }
    };
    void subscribe();
    return {
      dispose: () => {
        stopped = true;
        current?.dispose();
      },
    };
  }

  /** Runs `work` on the current agent; once more on the next one if the connection dropped. */
  async #retrying<T>(work: (agent: AgentConnection) => Promise<T>): Promise<T> {
    const agent = await this.#connect();
    try {
      return await work(agent);
    } catch (error) {
      if (!agent.isClosed) throw error;
      return work(await this.#connect());
    }
  }
}

/** The entry of a reply that carries one; the channel is done. */
function entryOf(result: { reply: { entry: FileEntry }; channel: { close(): void } }): FileEntry {
  result.channel.close();
  return result.reply.entry;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Lets at most `perSecond` callbacks run per second: the rest wait for the next second. Used to
 * acknowledge watch messages, so an agent flooding events is held back by its own window.
 */
class MessagePacer {
  #windowStart = 0;
  #count = 0;
  #queue: Array<() => void> = [];
  #timer: Disposable | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly perSecond: number,
  ) {}

  after(callback: () => void): void {
    this.#queue.push(callback);
    this.#drain();
  }

  #drain(): void {
    const now = this.clock.now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#count = 0;
    }
    while (this.#queue.length > 0 && this.#count < this.perSecond) {
      this.#count += 1;
      this.#queue.shift()?.();
    }
    if (this.#queue.length > 0 && !this.#timer) {
      this.#timer = this.clock.setTimeout(
        () => {
          this.#timer = undefined;
          this.#drain();
        },
        1000 - (now - this.#windowStart),
      );
    }
  }
}
