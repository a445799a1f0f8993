import type { Disposable } from '@studios/base';
import serializeAddon from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';

// Both packages are CommonJS bundles whose named exports Node cannot detect from ESM.
const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;

export interface ScreenMirrorOptions {
  cols: number;
  rows: number;
  scrollback: number;
  /** Unparsed bytes above which the mirror asks its source to pause (see onBackpressure). */
  highWatermarkBytes: number;
  /** Unparsed bytes at or below which a paused source may resume. */
  lowWatermarkBytes: number;
}

/** A serialized screen: written to a reset terminal of `cols`×`rows`, it restores screen and scrollback. */
export interface ScreenSnapshot {
  data: string;
  cols: number;
  rows: number;
}

/**
 * The server's copy of a terminal screen: a headless xterm.js that parses the PTY's output.
 *
 * Everything that must happen in stream order (forwarding a chunk to clients, a resize, the
 * exit) is queued behind the bytes already written and runs from xterm's write callback, right
 * after the parser has consumed them. So at any moment outside that callback the screen
 * reflects exactly the bytes forwarded so far, and `snapshot()` followed by later chunks
 * reproduces the stream without gaps or repeats.
 *
 * The headless terminal's own `onData` (its answers to DA, DSR, DECRQSS…) is deliberately never
 * connected to anything: a program printing those queries must not type into the shell.
 */
export class ScreenMirror implements Disposable {
  private readonly terminal: InstanceType<typeof Terminal>;
  private readonly serializer = new SerializeAddon();
  private readonly options: ScreenMirrorOptions;
  private readonly backpressureListeners = new Set<(paused: boolean) => void>();
  private pendingBytes = 0;
  private pausedSource = false;
  private disposed = false;

  constructor(options: ScreenMirrorOptions) {
    this.options = options;
    this.terminal = new Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: options.scrollback,
      allowProposedApi: true,
    });
    this.terminal.loadAddon(this.serializer);
  }

  get cols(): number {
    return this.terminal.cols;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  /** Bytes written but not parsed yet. */
  get pending(): number {
    return this.pendingBytes;
  }

  /** Called with `true` when the parser falls behind and with `false` once it has caught up. */
  onBackpressure(listener: (paused: boolean) => void): Disposable {
    this.backpressureListeners.add(listener);
    return { dispose: () => this.backpressureListeners.delete(listener) };
  }

  /** Fires when a program sets the window title (OSC 0/2). */
  onTitleChange(listener: (title: string) => void): Disposable {
    return this.terminal.onTitleChange(listener);
  }

  /** Parses `chunk`, then calls `afterParsed` (in stream order). */
  write(chunk: Uint8Array, afterParsed: () => void): void {
    if (this.disposed) return;
    this.pendingBytes += chunk.length;
    this.updateBackpressure();
    this.terminal.write(chunk, () => {
      this.pendingBytes -= chunk.length;
      this.updateBackpressure();
      if (!this.disposed) afterParsed();
    });
  }

  /** Runs `step` after everything written so far has been parsed. */
  enqueue(step: () => void): void {
    if (this.disposed) return;
    this.terminal.write('', () => {
      if (!this.disposed) step();
    });
  }

  /** Resizes the screen now; call it from an enqueued step to keep it in stream order. */
  resize(cols: number, rows: number): void {
    if (!this.disposed && (cols !== this.cols || rows !== this.rows)) this.terminal.resize(cols, rows);
  }

  snapshot(): ScreenSnapshot {
    return { data: this.serializer.serialize(), cols: this.cols, rows: this.rows };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backpressureListeners.clear();
    this.terminal.dispose();
  }

  private updateBackpressure(): void {
    const { highWatermarkBytes, lowWatermarkBytes } = this.options;
    const shouldPause = this.pausedSource
      ? this.pendingBytes > lowWatermarkBytes
      : this.pendingBytes > highWatermarkBytes;
    if (shouldPause === this.pausedSource) return;
    this.pausedSource = shouldPause;
    for (const listener of this.backpressureListeners) listener(shouldPause);
  }
}
