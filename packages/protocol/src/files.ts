import { z } from 'zod';

/** A path relative to the Studio's workspace root, `/`-separated, never starting with `/`. */
export const WorkspacePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.startsWith('/') && !p.includes('\0'), 'Use a path relative to the workspace');

export const FileEntry = z.object({
  path: z.string(),
  name: z.string(),
  kind: z.enum(['file', 'directory', 'symlink']),
  size: z.number().int(),
  mtimeMs: z.number(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const FileCreateBody = z.strictObject({
  path: WorkspacePath,
  kind: z.enum(['file', 'directory']),
});
export type FileCreateBody = z.infer<typeof FileCreateBody>;

export const FileMoveBody = z.strictObject({ from: WorkspacePath, to: WorkspacePath });
export type FileMoveBody = z.infer<typeof FileMoveBody>;

/** Text files above this size open read-only as a download, never as a live document. */
export const MAX_TEXT_DOCUMENT_BYTES = 5 * 1024 * 1024;
