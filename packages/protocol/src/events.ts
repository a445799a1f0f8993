import { z } from 'zod';
import { FileEntry } from './files';
import { StudioRuntimeStatus } from './runtime';
import { SshSessionInfo } from './ssh';
import { Role } from './studios';
import { TerminalInfo } from './terminal';

/**
 * The per-Studio control socket, `/api/studios/:id/events`: server → client notifications
 * that are not document content. Version bumps when a message changes incompatibly.
 */
export const EVENTS_PROTOCOL_VERSION = 1;

export const StudioEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), version: z.number(), role: Role }),
  z.object({ type: z.literal('runtime'), status: StudioRuntimeStatus }),
  /** Progress of a long operation (image build, start, machine switch). */
  z.object({
    type: z.literal('progress'),
    operation: z.string(),
    message: z.string(),
    fraction: z.number().min(0).max(1).optional(),
  }),
  z.object({
    type: z.literal('files'),
    /** The Studio's agent reconnected and changes may have been missed: reload the whole tree. */
    resync: z.boolean().optional(),
    changes: z.array(
      z.object({
        kind: z.enum(['added', 'changed', 'removed']),
        path: z.string(),
        entry: FileEntry.optional(),
      }),
    ),
  }),
  /** A live document's text reached the file on disk (drives the "saved to disk" indicator). */
  z.object({ type: z.literal('doc-saved'), path: z.string(), savedAt: z.string() }),
  z.object({ type: z.literal('role'), role: Role }),
  z.object({ type: z.literal('studio'), name: z.string() }),
  z.object({ type: z.literal('idle-warning'), stopAt: z.string() }),
  /**
   * The Studio's terminals changed: one was opened, renamed or closed, a shell exited, or the
   * attached users changed. Carries the full current list (oldest first, as
   * `GET /api/studios/:id/terminals` answers), so clients replace their state rather than patch
   * it. Terminal sessions themselves: ./terminal.ts.
   */
  z.object({ type: z.literal('terminals'), terminals: z.array(TerminalInfo) }),
  /**
   * Who is connected to the Studio over SSH (VS Code, Cursor, ssh, sftp): the full current list,
   * as `GET /api/studios/:id/ssh/sessions` answers, sent whenever a connection or channel opens
   * or closes.
   */
  z.object({ type: z.literal('ssh-sessions'), sessions: z.array(SshSessionInfo) }),
]);
export type StudioEvent = z.infer<typeof StudioEvent>;
