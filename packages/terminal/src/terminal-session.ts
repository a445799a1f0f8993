import type { Clock } from '@studios/base';
import type { TerminalServerMessage } from '@studios/protocol';
import {
  type CloseCode,
  TERMINAL_PROTOCOL_VERSION,
  type TerminalAttachee,
  type TerminalInfo,
} from '@studios/protocol';
import type { ExecSession } from '@studios/runtime';
import type { WebSocket } from 'ws';
import { OutputCoalescer } from './output-coalescer';
import { ptySizeFor, type TerminalSize } from './pty-size-policy';
import { ScreenMirror } from './screen-mirror';
import { type ConnectionFlowLimits, TerminalConnection, type TerminalUser } from './terminal-connection';

export interface TerminalSessionOptions {
  id: string;
  studioId: string;
  name: string;
  createdBy: string;
  createdAt: string;
  size: TerminalSize;
  scrollback: number;
  parserHighWatermarkBytes: number;
  parserLowWatermarkBytes: number;
  flow: ConnectionFlowLimits;
  /** Largest batch of output parsed and sent as one frame. */
  maxBatchBytes: number;
  /** Times the stall limit and the activity interval. */
  clock: Clock;
  /** Called on input and output, at most once per `activityIntervalMs` (keeps idle sleep away). */
  onActivity: () => void;
  activityIntervalMs: number;
  /** Called when info() changes other than by rename or size: the shell exited, or who is attached. */
  onChange: () => void;
}

/** A client's hold on a session, returned by attach(). */
export interface TerminalAttachment {
  /** Applies a role change on the open socket (sends `role` to the client). */
  setCanWrite(canWrite: boolean): void;
  /** Closes the socket with `code` and detaches it. */
  close(code: CloseCode, reason: string): void;
}

/**
 * One shared shell: its process, the server-side screen, and every attached socket. It
 * outlives all its clients and ends when its shell exits (the final screen stays viewable,
 * with `exitCode` set) or when it is closed.
 */
export class TerminalSession {
  readonly id: string;
  readonly studioId: string;
  private name: string;
  private readonly options: TerminalSessionOptions;
  private readonly mirror: ScreenMirror;
  private readonly output: OutputCoalescer;
  private readonly connections = new Set<TerminalConnection>();
  /** Connections whose full window holds the shell (see TerminalConnection). */
  private readonly holding = new Set<TerminalConnection>();
  private parserBehind = false;
  private ptySize: TerminalSize;
  private title = '';
  private exitCode: number | null = null;
  private sourcePaused = false;
  private closed = false;
  private lastActivityAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly exec: ExecSession,
    options: TerminalSessionOptions,
  ) {
    this.options = options;
    this.id = options.id;
    this.studioId = options.studioId;
    this.name = options.name;
    this.ptySize = options.size;
    this.mirror = new ScreenMirror({
      ...options.size,
      scrollback: options.scrollback,
      highWatermarkBytes: options.parserHighWatermarkBytes,
      lowWatermarkBytes: options.parserLowWatermarkBytes,
    });
    // The parser and clients that keep up hold the shell; slow clients fall behind instead.
    this.mirror.onBackpressure((paused) => {
      this.parserBehind = paused;
      this.updateSource();
    });
    this.mirror.onTitleChange((title) => {
      this.title = title;
      this.broadcast({ type: 'title', title });
    });
    this.output = new OutputCoalescer((batch) => this.mirror.write(batch, () => this.forward(batch)), {
      maxBatchBytes: options.maxBatchBytes,
    });
    exec.onData((chunk) => this.output.push(chunk));
    const finishAfterOutput = (code: number) => {
      this.output.flush();
      this.mirror.enqueue(() => this.finish(code));
    };
    void exec.exit.then(finishAfterOutput, () => finishAfterOutput(-1));
  }

  /** True while the shell's output is paused for the screen parser or a client's full window. */
  get isPaused(): boolean {
    return this.sourcePaused;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  get behindCount(): number {
    return [...this.connections].filter((connection) => connection.isBehind).length;
  }

  info(): TerminalInfo {
    return {
      id: this.id,
      name: this.name,
      createdAt: this.options.createdAt,
      createdBy: this.options.createdBy,
      cols: this.ptySize.cols,
      rows: this.ptySize.rows,
      attached: this.attachees(),
      exitCode: this.exitCode,
    };
  }

  rename(name: string): void {
    this.name = name;
  }

  /** Attaches an upgraded socket: hello, snapshot, then live output. */
  attach(socket: WebSocket, options: { user: TerminalUser; canWrite: boolean }): TerminalAttachment {
    const connection = new TerminalConnection(socket, options, this.options.flow, {
      onInput: (_connection, data) => {
        if (this.exitCode !== null || this.closed) return;
        this.exec.write(data);
        this.noteActivity();
      },
      onResize: () => this.applySizePolicy(),
      onClose: (closing) => this.detach(closing),
      onHold: (holder, holds) => {
        if (holds) this.holding.add(holder);
        else this.holding.delete(holder);
        this.updateSource();
      },
      snapshot: () => this.mirror.snapshot(),
      clock: this.options.clock,
    });
    this.connections.add(connection);
    connection.send({
      type: 'hello',
      version: TERMINAL_PROTOCOL_VERSION,
      terminal: this.info(),
      canWrite: connection.canWrite,
    });
    connection.sendSnapshot();
    if (this.title) connection.send({ type: 'title', title: this.title });
    if (this.exitCode !== null) connection.send({ type: 'exit', code: this.exitCode });
    this.broadcastAttached();
    return {
      setCanWrite: (canWrite) => {
        if (!connection.isOpen || connection.canWrite === canWrite) return;
        connection.canWrite = canWrite;
        connection.send({ type: 'role', canWrite });
        this.applySizePolicy();
        this.broadcastAttached();
      },
      close: (code, reason) => connection.close(code, reason),
    };
  }

  /** Ends the session: kills the shell and closes every socket with `code`. */
  close(code: CloseCode, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const connection of [...this.connections]) connection.close(code, reason);
    this.output.dispose();
    this.exec.dispose();
    this.mirror.dispose();
  }

  private forward(chunk: Buffer): void {
    this.noteActivity();
    for (const connection of this.connections) connection.sendOutput(chunk);
  }

  private updateSource(): void {
    if (this.closed) return;
    const paused = this.parserBehind || this.holding.size > 0;
    if (paused === this.sourcePaused) return;
    this.sourcePaused = paused;
    if (paused) this.exec.pause();
    else this.exec.resume();
  }

  private noteActivity(): void {
    const now = this.options.clock.now();
    if (now - this.lastActivityAt < this.options.activityIntervalMs) return;
    this.lastActivityAt = now;
    this.options.onActivity();
  }

  private finish(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.broadcast({ type: 'exit', code });
    this.exec.dispose();
    this.notifyChange();
  }

  private detach(connection: TerminalConnection): void {
    if (!this.connections.delete(connection) || this.closed) return;
    this.applySizePolicy();
    this.broadcastAttached();
  }

  private applySizePolicy(): void {
    if (this.closed || this.exitCode !== null) return;
    const target = ptySizeFor(this.connections, this.ptySize);
    if (target.cols === this.ptySize.cols && target.rows === this.ptySize.rows) return;
    this.ptySize = target;
    // A failed resize leaves the old size; the shell keeps working either way.
    this.exec.resize(target.cols, target.rows).catch(() => {});
    // Output already queued was produced for the old size: resize the mirror after it.
    this.output.flush();
    this.mirror.enqueue(() => {
      this.mirror.resize(target.cols, target.rows);
      this.broadcast({ type: 'size', ...target });
    });
  }

  private attachees(): TerminalAttachee[] {
    const byUser = new Map<string, TerminalAttachee>();
    for (const { user, canWrite } of this.connections) {
      const known = byUser.get(user.id);
      byUser.set(user.id, { userId: user.id, name: user.name, canWrite: canWrite || !!known?.canWrite });
    }
    return [...byUser.values()];
  }

  private broadcastAttached(): void {
    this.broadcast({ type: 'attached', attached: this.attachees() });
    this.notifyChange();
  }

  private notifyChange(): void {
    // A closed session has left the list; its last sockets detaching changes nothing.
    if (!this.closed) this.options.onChange();
  }

  private broadcast(message: TerminalServerMessage): void {
    for (const connection of this.connections) connection.send(message);
  }
}
