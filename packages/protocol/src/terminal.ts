import { z } from 'zod';

/**
 * Terminal sessions live in the Studio; browsers attach over
 * `/api/studios/:studioId/terminals/:terminalId`.
 *
 * Frames: binary frames carry raw terminal bytes (server → client: output; client → server:
 * keyboard input). Text frames carry JSON control messages below. The first server frame is
 * `hello`, then `snapshot` (the serialized screen and scrollback), then live output.
 *
 * Flow control (VS Code's scheme, with a stall limit): the client sends `ack` with the number of
 * output bytes it has written to xterm.js every ACK_EVERY_BYTES. When a client's unacknowledged
 * bytes exceed HIGH_WATERMARK the server pauses the shell until that client's acks bring it to
 * LOW_WATERMARK, so a client that keeps acknowledging receives every byte. A client that cannot
 * drain its window within the server's stall limit (about a second) gets no live output and,
 * once it catches up, a fresh `snapshot` instead of the backlog: one slow viewer delays the
 * shell by at most one stall and never the others. A snapshot restarts the count: acks refer
 * to binary output bytes received after the latest snapshot. The window is a server setting;
 * clients need only ACK_EVERY_BYTES.
 *
 * Size (tmux-style): the PTY takes the smallest cols and the smallest rows among the attached
 * writers that sent `resize`; viewers' sizes never resize it. Every client renders at the size
 * of the latest `snapshot`/`size` message, whatever its own viewport.
 *
 * Terminal queries printed by programs (DA, DSR/CPR, DECRQSS, title report) are never answered
 * by the server's screen copy. Clients should likewise drop their terminal's automatic answers
 * (`\e[?…c`, `\e[r;cR`, `\eP1$r…\e\\`) instead of sending them as input (xterm.js CVE-2019-0542).
 */
export const TERMINAL_PROTOCOL_VERSION = 1;
export const TERMINAL_FLOW = {
  // Covers ~30 MB/s over a client acking from xterm write callbacks (~10–15 ms), while the tail
  // a client still has to parse after Ctrl-C stays short.
  HIGH_WATERMARK_BYTES: 500_000,
  LOW_WATERMARK_BYTES: 100_000,
  ACK_EVERY_BYTES: 5_000,
} as const;
/** Largest client frame (a big paste). */
export const TERMINAL_MAX_FRAME_BYTES = 1024 * 1024;

export const TerminalAttachee = z.object({ userId: z.string(), name: z.string(), canWrite: z.boolean() });
export type TerminalAttachee = z.infer<typeof TerminalAttachee>;

export const TerminalInfo = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  cols: z.number().int(),
  rows: z.number().int(),
  attached: z.array(TerminalAttachee),
  /** Set once the shell has exited; the session is then read-only until closed. */
  exitCode: z.number().int().nullable(),
});
export type TerminalInfo = z.infer<typeof TerminalInfo>;

export const TerminalCreateBody = z.strictObject({
  name: z.string().trim().min(1).max(60).optional(),
  cols: z.number().int().min(2).max(1000).optional(),
  rows: z.number().int().min(1).max(500).optional(),
});
export type TerminalCreateBody = z.infer<typeof TerminalCreateBody>;

export const TerminalRenameBody = z.strictObject({ name: z.string().trim().min(1).max(60) });
export type TerminalRenameBody = z.infer<typeof TerminalRenameBody>;

export const TerminalClientMessage = z.discriminatedUnion('type', [
  /** The viewport this client can show; the server sizes the PTY from its writers' sizes. */
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(2).max(1000),
    rows: z.number().int().min(1).max(500),
  }),
  z.object({ type: z.literal('ack'), bytes: z.number().int().nonnegative() }),
]);
export type TerminalClientMessage = z.infer<typeof TerminalClientMessage>;

export const TerminalServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    version: z.number(),
    terminal: TerminalInfo,
    canWrite: z.boolean(),
  }),
  /** Replaces the client's screen: `data` is written to a reset xterm.js. */
  z.object({ type: z.literal('snapshot'), data: z.string(), cols: z.number().int(), rows: z.number().int() }),
  /** The PTY size changed; clients render at this size (letterboxed if their viewport differs). */
  z.object({ type: z.literal('size'), cols: z.number().int(), rows: z.number().int() }),
  z.object({ type: z.literal('attached'), attached: z.array(TerminalAttachee) }),
  z.object({ type: z.literal('title'), title: z.string() }),
  z.object({ type: z.literal('exit'), code: z.number().int() }),
  z.object({ type: z.literal('role'), canWrite: z.boolean() }),
]);
export type TerminalServerMessage = z.infer<typeof TerminalServerMessage>;
