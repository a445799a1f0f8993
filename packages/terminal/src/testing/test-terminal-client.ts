import { TERMINAL_FLOW, TerminalServerMessage } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import xtermHeadless from '@xterm/headless';
import WebSocket from 'ws';

const { Terminal } = xtermHeadless;

/**
 * A terminal client as a browser runs it, minus the DOM: it mirrors the server's screen in its
 * own headless xterm.js (snapshot, then live output), acknowledges output like the web client,
 * and exposes what a person would see. `ack: false` makes it a client that never acknowledges.
 */
export class TestTerminalClient {
  readonly messages: TerminalServerMessage[] = [];
  closeCode: number | undefined;
  closeReason = '';
  /** Binary output bytes received so far. */
  bytesReceived = 0;
  private screen = new Terminal({ cols: 80, rows: 24, scrollback: 10_000, allowProposedApi: true });
  private unacked = 0;

  private constructor(
    private readonly socket: WebSocket,
    private readonly ack: boolean,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  static async connect(url: string, { ack = true } = {}): Promise<TestTerminalClient> {
    const socket = new WebSocket(url);
    const client = new TestTerminalClient(socket, ack);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  type(text: string): void {
    this.socket.send(Buffer.from(text), { binary: true });
  }

  sendControl(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  resize(cols: number, rows: number): void {
    this.sendControl({ type: 'resize', cols, rows });
  }

  /** Every line of screen and scrollback, right-trimmed. */
  lines(): string[] {
    const buffer = this.screen.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++)
      lines.push((buffer.getLine(y)?.translateToString(true) ?? '').trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return lines;
  }

  lastLine(): string {
    return this.lines().at(-1) ?? '';
  }

  /** Waits until some line matches `pattern`; returns the match. */
  waitForLine(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    return waitFor(
      () =>
        this.lines()
          .map((line) => pattern.exec(line))
          .find(Boolean),
      { timeoutMs, what: `a line matching ${pattern} (screen: ${JSON.stringify(this.lines().slice(-5))})` },
    );
  }

  waitForMessage<T extends TerminalServerMessage['type']>(
    type: T,
    predicate: (message: Extract<TerminalServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<TerminalServerMessage, { type: T }>> {
    return waitFor(
      () =>
        this.messages.find(
          (message): message is Extract<TerminalServerMessage, { type: T }> =>
            message.type === type && predicate(message as Extract<TerminalServerMessage, { type: T }>),
        ),
      { timeoutMs, what: `a ${type} message` },
    );
  }

  waitForClose(): Promise<number> {
    return waitFor(() => this.closeCode, { what: 'the socket to close' });
  }

  async close(): Promise<void> {
    if (this.closeCode === undefined) {
      this.socket.close();
      await this.waitForClose();
    }
    this.screen.dispose();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.bytesReceived += data.length;
      this.screen.write(data, () => {
        if (!this.ack) return;
        this.unacked += data.length;
        if (this.unacked >= TERMINAL_FLOW.ACK_EVERY_BYTES) {
          this.sendControl({ type: 'ack', bytes: this.unacked });
          this.unacked = 0;
        }
      });
      return;
    }
    const message = TerminalServerMessage.parse(JSON.parse(data.toString('utf8')));
    this.messages.push(message);
    if (message.type === 'snapshot') {
      // Acks count output after the latest snapshot (see the protocol).
      this.unacked = 0;
      this.screen.dispose();
      this.screen = new Terminal({
        cols: message.cols,
        rows: message.rows,
        scrollback: 10_000,
        allowProposedApi: true,
      });
      this.screen.write(message.data);
    } else if (message.type === 'size') {
      this.screen.resize(message.cols, message.rows);
    }
  }
}
