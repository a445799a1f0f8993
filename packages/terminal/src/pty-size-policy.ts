/** A terminal size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What the size policy needs to know about one attached client. */
export interface SizedClient {
  canWrite: boolean;
  /** The viewport the client last reported; undefined until it sends `resize`. */
  size: TerminalSize | undefined;
}

/**
 * The PTY size for a set of attached clients, tmux-style: the smallest width and the smallest
 * height among the writers that reported a viewport, so every writer sees the whole screen.
 * Viewers never size the PTY (a read-only guest must not reflow someone else's shell); they
 * render at the PTY's size, letterboxed or clipped. With no sized writer the PTY keeps `current`.
 */
export function ptySizeFor(clients: Iterable<SizedClient>, current: TerminalSize): TerminalSize {
  let cols = Number.POSITIVE_INFINITY;
  let rows = Number.POSITIVE_INFINITY;
  for (const client of clients) {
    if (!client.canWrite || !client.size) continue;
    cols = Math.min(cols, client.size.cols);
    rows = Math.min(rows, client.size.rows);
  }
  return Number.isFinite(cols) ? { cols, rows } : current;
}
