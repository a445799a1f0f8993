import xtermHeadless from '@xterm/headless';
import WebSocket from 'ws';

const { Terminal } = xtermHeadless;

/** Mirrors protocol/src/terminal.ts (TERMINAL_FLOW.ACK_EVERY_BYTES); the bench imports no app code. */
const ACK_EVERY_BYTES = 5_000;

/** Where an expected string showed up. */
export interface OutputMatch {
  /** `performance.now()` when the frame carrying the match arrived. */
  at: number;
}

/**
 * A Studios terminal as a browser would attach to it: every output byte is written into an
 * `@xterm/headless` Terminal and acknowledged once written (the protocol's flow control).
 */
export class TerminalClient {
  readonly terminal: InstanceType<typeof Terminal>;
  /** Output bytes written into xterm so far (snapshots not counted). */
  bytesWritten = 0;
  /** Output bytes received so far. */
  bytesReceived = 0;
  /** `performance.now()` when the latest output frame or snapshot arrived. */
  lastFrameAt = 0;
  /** Snapshots received after the first (each one replaced a backlog the client fell behind on). */
  resyncSnapshots = 0;
  private unacked = 0;
  private tail = '';
  private watchers: Array<{ needle: string; seen: string; resolve: (match: OutputMatch) => void }> = [];
  private snapshots = 0;

  private constructor(
    private readonly socket: WebSocket,
    cols: number,
    rows: number,
  ) {
    this.terminal = new Terminal({ cols, rows, scrollback: 1_000, allowProposedApi: true });
    socket.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) this.onOutput(bytes);
      else this.onControl(bytes.toString('utf8'));
    });
  }

  /** Opens the socket and resolves once the server has sent its hello and first snapshot. */
  static async attach(url: string, headers: Record<string, string>, size = { cols: 120, rows: 40 }) {
    const socket = new WebSocket(url, { headers });
    const client = new TerminalClient(socket, size.cols, size.rows);
    await new Promise<void>((resolve, reject) => {
      // Stays registered: a later socket error must not crash the run (reject is then a no-op).
      socket.on('error', reject);
      socket.once('close', (code, reason) => reject(new Error(`terminal socket closed ${code} ${reason}`)));
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`terminal upgrade refused: HTTP ${response.statusCode}`)),
      );
      const check = setInterval(() => {
        if (client.snapshots > 0) {
          clearInterval(check);
          resolve();
        }
      }, 2);
    });
    socket.send(JSON.stringify({ type: 'resize', ...size }));
    return client;
  }

  /** Sends keyboard input (binary frame). */
  type(text: string): void {
    this.socket.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  /**
   * Resolves when `needle` appears in output (or a resync snapshot) that arrives after this call.
   * Output is matched as latin1 text across frame boundaries.
   */
  waitForOutput(needle: string, timeoutMs: number): Promise<OutputMatch> {
    return new Promise((resolve, reject) => {
      const watcher = {
        needle,
        seen: '',
        resolve: (match: OutputMatch) => {
          clearTimeout(timer);
          resolve(match);
        },
      };
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((candidate) => candidate !== watcher);
        reject(new Error(`no "${JSON.stringify(needle)}" in terminal output within ${timeoutMs} ms`));
      }, timeoutMs);
      this.watchers.push(watcher);
    });
  }

  /** The last `chars` characters of output received, as latin1 text. */
  recentOutput(chars = 500): string {
    return this.tail.slice(-chars);
  }

  /** Resolves when xterm has parsed everything written so far. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.terminal.write('', resolve));
  }

  /** The text of the line the cursor is on, as xterm has parsed it so far. */
  cursorLine(): string {
    const buffer = this.terminal.buffer.active;
    return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
  }

  /**
   * Resolves with the arrival time of the frame that completed a shell prompt on the cursor
   * line (works whether the prompt came as live output or inside a resync snapshot).
   */
  async waitForPrompt(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await this.flushed();
      if (/[$#]\s*$/.test(this.cursorLine())) return this.lastFrameAt;
      if (performance.now() > deadline) {
        throw new Error(
          `no shell prompt within ${timeoutMs} ms; cursor line: ${JSON.stringify(this.cursorLine())}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  dispose(): void {
    this.socket.close();
    this.terminal.dispose();
  }

  private onOutput(bytes: Buffer): void {
    const now = performance.now();
    this.lastFrameAt = now;
    this.bytesReceived += bytes.length;
    this.matchOutput(bytes, now);
    this.terminal.write(bytes, () => {
      this.bytesWritten += bytes.length;
      this.unacked += bytes.length;
      if (this.unacked >= ACK_EVERY_BYTES) {
        this.socket.send(JSON.stringify({ type: 'ack', bytes: this.unacked }));
        this.unacked = 0;
      }
    });
  }

  private onControl(text: string): void {
    const message = JSON.parse(text) as { type: string; data?: string };
    if (message.type !== 'snapshot') return;
    this.lastFrameAt = performance.now();
    this.snapshots++;
    if (this.snapshots > 1) this.resyncSnapshots++;
    // A snapshot replaces the screen (and resets the server's unacknowledged count).
    this.unacked = 0;
    this.terminal.reset();
    this.terminal.write(message.data ?? '');
    this.match(message.data ?? '', performance.now());
  }

  /**
   * Like match(), for an output frame, without turning a whole (up to 64 KB) frame into a
   * string: Buffer.indexOf finds a needle inside the frame, and only the frame's head and tail
   * can join a match with the frames around it.
   */
  private matchOutput(bytes: Buffer, now: number): void {
    const tailText = bytes.subarray(Math.max(0, bytes.length - 4_096)).toString('latin1');
    this.tail = (this.tail + tailText).slice(-4_096);
    for (const watcher of [...this.watchers]) {
      const { needle } = watcher;
      const across = watcher.seen + bytes.subarray(0, needle.length).toString('latin1');
      watcher.seen = (watcher.seen + tailText).slice(-needle.length);
      if (across.includes(needle) || bytes.indexOf(needle, 0, 'latin1') >= 0) {
        this.watchers = this.watchers.filter((candidate) => candidate !== watcher);
        watcher.resolve({ at: now });
      }
    }
  }

  private match(text: string, now: number): void {
    this.tail = (this.tail + text).slice(-4_096);
    for (const watcher of [...this.watchers]) {
      watcher.seen = (watcher.seen + text).slice(-(watcher.needle.length + text.length));
      if (watcher.seen.includes(watcher.needle)) {
        this.watchers = this.watchers.filter((candidate) => candidate !== watcher);
        watcher.resolve({ at: now });
      }
    }
  }
}
