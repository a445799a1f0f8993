import type { Clock, Disposable } from '@studios/base';
import { CloseCode, TerminalClientMessage, type TerminalServerMessage } from '@studios/protocol';
import type { RawData, WebSocket } from 'ws';
import type { TerminalSize } from './pty-size-policy';
import type { ScreenSnapshot } from './screen-mirror';

/** Who is on the other end of a socket. */
export interface TerminalUser {
  id: string;
  name: string;
}

/** Per-client flow-control limits (defaults come from TERMINAL_FLOW). */
export interface ConnectionFlowLimits {
  /** Unacknowledged bytes above which the client holds the shell's output back. */
  highWatermarkBytes: number;
  /** Unacknowledged bytes at or below which a client that held the shell back releases it. */
  lowWatermarkBytes: number;
  /** A socket whose send buffer is above this holds the shell back too. */
  maxBufferedBytes: number;
  /**
   * How long one hold may last. A client still above the low watermark after this is too slow
   * to follow the stream: it falls behind (gets no live output) and releases the shell.
   */
  stallTimeoutMs: number;
}

/** What a connection asks of its session. */
export interface ConnectionHooks {
  onInput(connection: TerminalConnection, data: Buffer): void;
  onResize(connection: TerminalConnection): void;
  onClose(connection: TerminalConnection): void;
  /** The connection started (`true`) or stopped (`false`) holding the shell's output back. */
  onHold(connection: TerminalConnection, holding: boolean): void;
  snapshot(): ScreenSnapshot;
  /** Times the stall limit. */
  clock: Clock;
}

/**
 * One attached socket, with windowed flow control. A client that keeps acknowledging receives
 * every byte: when its unacknowledged output passes the high watermark it *holds* the shell
 * (the session pauses the process) until its acks bring it to the low watermark. A client
 * that cannot drain its window within `stallTimeoutMs` is "behind": it stops holding the shell,
 * gets no live output, and once its acks bring it under the low watermark it receives a fresh
 * snapshot instead of the backlog. So a slow viewer delays the shell by at most one stall.
 */
export class TerminalConnection {
  readonly user: TerminalUser;
  canWrite: boolean;
  size: TerminalSize | undefined;
  private unackedBytes = 0;
  private behind = false;
  private holding = false;
  private stallTimer: Disposable | undefined;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    options: { user: TerminalUser; canWrite: boolean },
    private readonly limits: ConnectionFlowLimits,
    private readonly hooks: ConnectionHooks,
  ) {
    this.user = options.user;
    this.canWrite = options.canWrite;
    socket.on('message', this.handleMessage);
    socket.on('close', this.handleClose);
    // Never removed: an 'error' without a listener would crash the server; 'close' follows it.
    socket.on('error', ignoreSocketError);
  }

  /** True while output is held back for this client. */
  get isBehind(): boolean {
    return this.behind;
  }

  /** True while this client's full window keeps the shell paused. */
  get isHolding(): boolean {
    return this.holding;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(message: TerminalServerMessage): void {
    if (!this.closed) this.socket.send(JSON.stringify(message));
  }

  sendSnapshot(): void {
    const snapshot = this.hooks.snapshot();
    this.unackedBytes = 0;
    this.behind = false;
    this.setHolding(false);
    this.send({ type: 'snapshot', ...snapshot });
  }

  /** Forwards live output unless the client is behind; a client that caught up is resynced. */
  sendOutput(chunk: Buffer): void {
    if (this.closed) return;
    if (this.behind) {
      // The screen already contains `chunk`, so a snapshot now covers it.
      if (this.canCatchUp()) this.sendSnapshot();
      return;
    }
    this.unackedBytes += chunk.length;
    this.socket.send(chunk, { binary: true });
    if (!this.holding && this.windowFull()) this.setHolding(true);
  }

  /** Closes the socket with a protocol close code; the session forgets it via onClose. */
  close(code: CloseCode, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.handleClose();
  }

  private windowFull(): boolean {
    return (
      this.unackedBytes > this.limits.highWatermarkBytes ||
      this.socket.bufferedAmount > this.limits.maxBufferedBytes
    );
  }

  private canCatchUp(): boolean {
    return (
      this.unackedBytes <= this.limits.lowWatermarkBytes &&
      this.socket.bufferedAmount <= this.limits.lowWatermarkBytes
    );
  }

  private setHolding(holding: boolean): void {
    if (holding === this.holding) return;
    this.holding = holding;
    this.stallTimer?.dispose();
    this.stallTimer = undefined;
    if (holding) this.stallTimer = this.hooks.clock.setTimeout(this.onStall, this.limits.stallTimeoutMs);
    this.hooks.onHold(this, holding);
  }

  /** The window did not drain in time: stop holding the shell, resync later with a snapshot. */
  private readonly onStall = (): void => {
    this.stallTimer = undefined;
    if (this.closed || !this.holding) return;
    if (this.canCatchUp()) {
      this.setHolding(false);
      return;
    }
    this.behind = true;
    this.setHolding(false);
  };

  private readonly handleMessage = (data: RawData, isBinary: boolean): void => {
    if (this.closed) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      // Viewers' keystrokes are dropped here, whatever their client does.
      if (this.canWrite) this.hooks.onInput(this, bytes);
      return;
    }
    const message = parseClientMessage(bytes);
    if (!message) {
      this.close(CloseCode.BadMessage, 'Malformed terminal control message');
      return;
    }
    if (message.type === 'ack') {
      this.unackedBytes = Math.max(0, this.unackedBytes - message.bytes);
      if (!this.canCatchUp()) return;
      if (this.behind) this.sendSnapshot();
      else this.setHolding(false);
    } else {
      this.size = { cols: message.cols, rows: message.rows };
      this.hooks.onResize(this);
    }
  };

  private readonly handleClose = (): void => {
    if (this.closed) return;
    this.closed = true;
    this.socket.off('message', this.handleMessage);
    this.socket.off('close', this.handleClose);
    this.setHolding(false);
    this.hooks.onClose(this);
  };
}

function ignoreSocketError(): void {}

function parseClientMessage(bytes: Buffer): TerminalClientMessage | undefined {
  try {
    const parsed = TerminalClientMessage.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
