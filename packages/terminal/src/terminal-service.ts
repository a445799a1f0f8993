import { randomUUID } from 'node:crypto';
import { type Clock, type Disposable, systemClock } from '@studios/base';
import { CloseCode, TERMINAL_FLOW, type TerminalInfo } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import type { WebSocket } from 'ws';
import type { TerminalUser } from './terminal-connection';
import { type TerminalAttachment, TerminalSession } from './terminal-session';

export interface TerminalServiceOptions {
  driver: RuntimeDriver;
  /** Command of every terminal; a login shell as the Studio user by default. */
  shell?: string[];
  /** Lines of scrollback kept (and replayed to reconnecting clients). */
  scrollback?: number;
  /** Unparsed output above which the shell is paused until the screen parser catches up. */
  parserHighWatermarkBytes?: number;
  parserLowWatermarkBytes?: number;
  /**
   * Per-client window of unacknowledged output; TERMINAL_FLOW by default. A client above the
   * high watermark pauses the shell until its acks bring it to the low watermark.
   */
  clientHighWatermarkBytes?: number;
  clientLowWatermarkBytes?: number;
  /** A socket whose send buffer exceeds this pauses the shell like a full window. */
  maxSocketBufferedBytes?: number;
  /**
   * Longest a client may keep the shell paused in one go; after that it falls behind and is
   * resynced with a snapshot once it catches up (so one slow viewer cannot stall the shell).
   */
  clientStallTimeoutMs?: number;
  /** Largest batch of output parsed and sent as one WebSocket frame. */
  maxOutputBatchBytes?: number;
  /** Times the stall limit and activity reports, and stamps `createdAt`. */
  clock?: Clock;
  /**
   * Called with the Studio's id when one of its terminals has input or output, at most once
   * per `activityIntervalMs` per terminal (for idle sleep).
   */
  onActivity?: (studioId: string) => void;
  activityIntervalMs?: number;
  newId?: () => string;
}

export interface CreateTerminalOptions {
  name?: string;
  cols: number;
  rows: number;
  /** User id of the creator. */
  createdBy: string;
}

/** Counts for leak tests and health pages. */
export interface TerminalServiceStats {
  sessions: number;
  connections: number;
  /** Connections currently held back by flow control. */
  behindConnections: number;
  /** Sessions whose shell output is paused for the screen parser. */
  pausedSessions: number;
}

/**
 * Every shared terminal of this server, per Studio. One instance per server; it owns all
 * sessions and closes them on dispose().
 */
export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly nameCounters = new Map<string, number>();
  private readonly changeListeners = new Set<(studioId: string) => void>();
  private readonly options: Required<TerminalServiceOptions>;
  private disposed = false;

  constructor(options: TerminalServiceOptions) {
    this.options = {
      shell: ['bash', '-l'],
      scrollback: 5_000,
      parserHighWatermarkBytes: 512 * 1024,
      parserLowWatermarkBytes: 128 * 1024,
      clientHighWatermarkBytes: TERMINAL_FLOW.HIGH_WATERMARK_BYTES,
      clientLowWatermarkBytes: TERMINAL_FLOW.LOW_WATERMARK_BYTES,
      maxSocketBufferedBytes: 2 * TERMINAL_FLOW.HIGH_WATERMARK_BYTES,
      clientStallTimeoutMs: 1_000,
      // Parsing 64 KiB takes ~2 ms: small enough that one flooding terminal never blocks the
      // event loop (and the other terminals' echo) for long, large enough to amortise frames.
      maxOutputBatchBytes: 64 * 1024,
      clock: systemClock,
      onActivity: () => {},
      activityIntervalMs: 10_000,
      newId: () => randomUUID(),
      ...options,
    };
  }

  /** Starts a shell in the (running) Studio; rejects with the driver's error otherwise. */
  async create(studioId: string, options: CreateTerminalOptions): Promise<TerminalInfo> {
    if (this.disposed) throw new Error('The terminal service has shut down.');
    const { cols, rows } = options;
    const exec = await this.options.driver.exec(studioId, {
      cmd: this.options.shell,
      tty: true,
      cols,
      rows,
      env: { TERM: 'xterm-256color' },
    });
    if (this.disposed) {
      exec.dispose();
      throw new Error('The terminal service has shut down.');
    }
    const session = new TerminalSession(exec, {
      id: this.options.newId(),
      studioId,
      name: options.name ?? this.nextName(studioId),
      createdBy: options.createdBy,
      createdAt: new Date(this.options.clock.now()).toISOString(),
      size: { cols, rows },
      scrollback: this.options.scrollback,
      parserHighWatermarkBytes: this.options.parserHighWatermarkBytes,
      parserLowWatermarkBytes: this.options.parserLowWatermarkBytes,
      flow: {
        highWatermarkBytes: this.options.clientHighWatermarkBytes,
        lowWatermarkBytes: this.options.clientLowWatermarkBytes,
        maxBufferedBytes: this.options.maxSocketBufferedBytes,
        stallTimeoutMs: this.options.clientStallTimeoutMs,
      },
      maxBatchBytes: this.options.maxOutputBatchBytes,
      clock: this.options.clock,
      onActivity: () => this.options.onActivity(studioId),
      activityIntervalMs: this.options.activityIntervalMs,
      onChange: () => this.notifyChange(studioId),
    });
    this.sessions.set(session.id, session);
    this.notifyChange(studioId);
    return session.info();
  }

  /** The Studio's terminals, oldest first. */
  list(studioId: string): TerminalInfo[] {
    return this.ofStudio(studioId).map((session) => session.info());
  }

  get(studioId: string, terminalId: string): TerminalInfo | undefined {
    return this.find(studioId, terminalId)?.info();
  }

  rename(studioId: string, terminalId: string, name: string): TerminalInfo | undefined {
    const session = this.find(studioId, terminalId);
    if (!session) return undefined;
    session.rename(name);
    this.notifyChange(studioId);
    return session.info();
  }

  /** Kills the shell and disconnects everyone. Returns false for an unknown terminal. */
  close(studioId: string, terminalId: string): boolean {
    const session = this.find(studioId, terminalId);
    if (!session) return false;
    this.sessions.delete(terminalId);
    session.close(CloseCode.Gone, 'The terminal was closed');
    this.notifyChange(studioId);
    return true;
  }

  /** Ends every terminal of a Studio that stopped or was deleted. */
  closeStudio(studioId: string, reason = 'The Studio stopped'): void {
    const sessions = this.ofStudio(studioId);
    for (const session of sessions) {
      this.sessions.delete(session.id);
      session.close(CloseCode.Gone, reason);
    }
    this.nameCounters.delete(studioId);
    if (sessions.length > 0) this.notifyChange(studioId);
  }

  /**
   * Calls `listener` with a Studio's id after its list() may have changed: a terminal was
   * created, renamed or closed, its shell exited, or a client attached, detached or changed
   * role. PTY size changes are not reported. Listeners run synchronously, once per change, so
   * a subscriber that fans out (e.g. to other browsers) should coalesce.
   */
  onChange(listener: (studioId: string) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /**
   * Hands an upgraded socket to a terminal of `studioId` (the terminal must belong to it, so a
   * member of one Studio cannot reach another's shells by id). Unknown terminal → the socket is
   * closed with NotFound and undefined is returned.
   */
  attach(
    studioId: string,
    terminalId: string,
    socket: WebSocket,
    options: { user: TerminalUser; canWrite: boolean },
  ): TerminalAttachment | undefined {
    const session = this.find(studioId, terminalId);
    if (!session || this.disposed) {
      socket.close(CloseCode.NotFound, 'No such terminal');
      return undefined;
    }
    return session.attach(socket, options);
  }

  stats(): TerminalServiceStats {
    const stats: TerminalServiceStats = {
      sessions: 0,
      connections: 0,
      behindConnections: 0,
      pausedSessions: 0,
    };
    for (const session of this.sessions.values()) {
      stats.sessions += 1;
      stats.connections += session.connectionCount;
      stats.behindConnections += session.behindCount;
      if (session.isPaused) stats.pausedSessions += 1;
    }
    return stats;
  }

  /** Closes every session (clients are told to reconnect later). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of this.sessions.values()) {
      session.close(CloseCode.ServerRestarting, 'The server is shutting down');
    }
    this.sessions.clear();
    this.nameCounters.clear();
    this.changeListeners.clear();
  }

  private notifyChange(studioId: string): void {
    if (this.disposed) return;
    for (const listener of [...this.changeListeners]) listener(studioId);
  }

  private find(studioId: string, terminalId: string): TerminalSession | undefined {
    const session = this.sessions.get(terminalId);
    return session?.studioId === studioId ? session : undefined;
  }

  private ofStudio(studioId: string): TerminalSession[] {
    return [...this.sessions.values()].filter((session) => session.studioId === studioId);
  }

  private nextName(studioId: string): string {
    const next = (this.nameCounters.get(studioId) ?? 0) + 1;
    this.nameCounters.set(studioId, next);
    return `Terminal ${next}`;
  }
}
