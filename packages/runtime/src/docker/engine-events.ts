import type { Clock, Disposable } from '@studios/base';
import type Docker from 'dockerode';
import { LABEL_STUDIO } from './names';

/** Container actions that can change a Studio's state (exec_* events are ignored). */
const STATE_ACTIONS = [
  'create',
  'start',
  'restart',
  'die',
  'stop',
  'kill',
  'oom',
  'destroy',
  'rename',
  'pause',
  'unpause',
];

export interface StudioContainerEvent {
  studioId: string;
  action: string;
  containerName: string | undefined;
}

export interface EngineEventStreamOptions {
  docker: Docker;
  clock: Clock;
  onEvent: (event: StudioContainerEvent) => void;
  /** Called after every (re)connection: events missed while disconnected must be made up for. */
  onConnected: () => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Follows the engine's event stream for Studio containers. When dockerd restarts the stream
 * ends; it reconnects with exponential backoff (reset after a successful connection) and
 * calls `onConnected` so the owner can resynchronise from the engine's current state.
 */
export class EngineEventStream {
  readonly #options: EngineEventStreamOptions;
  #stream: NodeJS.ReadableStream | undefined;
  #timer: Disposable | undefined;
  #backoffMs: number;
  #disposed = false;

  constructor(options: EngineEventStreamOptions) {
    this.#options = options;
    this.#backoffMs = options.initialBackoffMs ?? 250;
    void this.#connect();
  }

  get connected(): boolean {
    return this.#stream !== undefined;
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.dispose();
    this.#detach();
  }

  async #connect(): Promise<void> {
    this.#timer = undefined;
    if (this.#disposed) return;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.#options.docker.getEvents({
        filters: { type: ['container'], label: [LABEL_STUDIO], event: STATE_ACTIONS },
      });
    } catch {
      this.#scheduleReconnect();
      return;
    }
    if (this.#disposed) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return;
    }
    this.#stream = stream;
    this.#backoffMs = this.#options.initialBackoffMs ?? 250;
    let pending = '';
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) this.#handleLine(line);
        newline = pending.indexOf('\n');
      }
    });
    const lost = () => {
      if (this.#stream !== stream) return;
      this.#detach();
      this.#scheduleReconnect();
    };
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', lost);
    this.#options.onConnected();
  }

  #handleLine(line: string): void {
    let event: { Action?: string; Actor?: { Attributes?: Record<string, string> } };
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    const attributes = event.Actor?.Attributes ?? {};
    const studioId = attributes[LABEL_STUDIO];
    if (!studioId || !event.Action) return;
    this.#options.onEvent({ studioId, action: event.Action, containerName: attributes.name });
  }

  #scheduleReconnect(): void {
    if (this.#disposed || this.#timer) return;
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#options.maxBackoffMs ?? 5000);
    this.#timer = this.#options.clock.setTimeout(() => void this.#connect(), delay);
  }

  #detach(): void {
    const stream = this.#stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.#stream = undefined;
    stream?.removeAllListeners('data');
    stream?.destroy?.();
  }
}
