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
  highWatermarkBytes: number;
  lowWatermarkBytes: number;
  /** Output is held back while the socket's send buffer is above this. */
  maxBufferedBytes: number;
}

/** What a connection asks of its session. */
export interface ConnectionHooks {
  onInput(connection: TerminalConnection, data: Buffer): void;
  onResize(connection: TerminalConnection): void;
  onClose(connection: TerminalConnection): void;
  snapshot(): ScreenSnapshot;
}

/**
 * One attached socket. Tracks what the client has not acknowledged yet: above the high
 * watermark (or with a full socket buffer) the client is "behind" and gets no live output; once
 * its acks bring it under the low watermark it receives a fresh snapshot instead of the backlog.
 */
export class TerminalConnection {
  readonly user: TerminalUser;
  canWrite: boolean;
  size: TerminalSize | undefined;
  private unackedBytes = 0;
  private behind = false;
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
    if (
      this.unackedBytes >= this.limits.highWatermarkBytes ||
      this.socket.bufferedAmount > this.limits.maxBufferedBytes
    ) {
      this.behind = true;
      return;
    }
    this.unackedBytes += chunk.length;
    this.socket.send(chunk, { binary: true });
  }

  /** Closes the socket with a protocol close code; the session forgets it via onClose. */
  close(code: CloseCode, reason: string): void {
    if (this.closed) return;
    this.socket.close(code, reason);
    this.handleClose();
  }

  private canCatchUp(): boolean {
    return (
      this.unackedBytes <= this.limits.lowWatermarkBytes &&
      this.socket.bufferedAmount <= this.limits.lowWatermarkBytes
    );
  }

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
      if (this.behind && this.canCatchUp()) this.sendSnapshot();
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
