import { z } from 'zod';
import { WorkspacePath } from './files';

/**
 * Notebooks are live documents like any file (`/api/studios/:studioId/collab/:doc`), in the
 * Yjs schema of `@jupyter/ydoc`'s `YNotebook` (a `cells` Y.Array of Y.Maps with a `source`
 * Y.Text, `outputs`, `metadata`, `execution_count`; notebook-level `meta`). The server chooses
 * that schema for `.ipynb` files when the room loads and saves nbformat 4 the way nbformat does
 * (one-space indent, sorted keys, trailing newline).
 *
 * Kernels run inside the Studio and are driven by the server only: a browser asks over REST
 * (below) and sees the result in the shared document. What only the server may write lives in
 * the document too, so everyone sees the same state and it survives every browser closing:
 * - each code cell's `outputs` and `execution_count` (the server refuses client updates that
 *   touch them, except a new cell's empty ones);
 * - the map {@link NOTEBOOK_RUNS_MAP}: cell id → {@link CellRun} (queue, who ran it, timing);
 * - the map {@link NOTEBOOK_KERNEL_MAP}: key {@link NOTEBOOK_KERNEL_KEY} → {@link KernelState}.
 * Values in those maps are plain JSON objects, replaced whole.
 *
 * Jupyter messaging: https://jupyter-client.readthedocs.io/en/stable/messaging.html (5.3).
 */
export const NOTEBOOK_RUNS_MAP = 'studios:runs';
export const NOTEBOOK_KERNEL_MAP = 'studios:kernel';
export const NOTEBOOK_KERNEL_KEY = 'state';

/** Largest notebook the server keeps live (images in outputs make notebooks big). */
export const MAX_NOTEBOOK_DOCUMENT_BYTES = 64 * 1024 * 1024;

/** Most cells one run request may name (Run all on a very long notebook). */
export const MAX_CELLS_PER_RUN = 5000;

export const NotebookUser = z.object({ id: z.string(), name: z.string() });
export type NotebookUser = z.infer<typeof NotebookUser>;

/** A kernel the Studio offers (its kernelspec). */
export const KernelSpec = z.object({
  name: z.string(),
  displayName: z.string(),
  language: z.string(),
});
export type KernelSpec = z.infer<typeof KernelSpec>;

export const KernelSpecList = z.object({
  /** The kernel a notebook without its own `metadata.kernelspec` starts. */
  default: z.string().nullable(),
  kernelspecs: z.array(KernelSpec),
});
export type KernelSpecList = z.infer<typeof KernelSpecList>;

export const KernelStatus = z.enum([
  /** No kernel: none started yet, shut down, or shut down when idle. */
  'none',
  'starting',
  'idle',
  'busy',
  'restarting',
  /** The kernel process died; runs queued behind it were cancelled. */
  'dead',
  /** The kernel could not start; `message` says why and what to do. */
  'failed',
]);
export type KernelStatus = z.infer<typeof KernelStatus>;

export const KernelState = z.object({
  status: KernelStatus,
  spec: KernelSpec.nullable(),
  /** For people: progress while starting, the reason when dead or failed. */
  message: z.string().nullable(),
  /** ISO time the current kernel process started. */
  startedAt: z.string().nullable(),
  /** Who started (or last restarted) it. */
  startedBy: NotebookUser.nullable(),
});
export type KernelState = z.infer<typeof KernelState>;

export const CellRunState = z.enum(['queued', 'running', 'ok', 'error', 'interrupted', 'cancelled']);
export type CellRunState = z.infer<typeof CellRunState>;

/** A pending `input()` prompt: only `forUserId` (who ran the cell) may answer it. */
export const InputPrompt = z.object({
  prompt: z.string(),
  password: z.boolean(),
  forUserId: z.string(),
});
export type InputPrompt = z.infer<typeof InputPrompt>;

/** The latest run of one cell, as everyone sees it: "ran by Ada · 3.2 s". */
export const CellRun = z.object({
  runId: z.string(),
  state: CellRunState,
  by: NotebookUser,
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  executionCount: z.number().int().nullable(),
  input: InputPrompt.nullable(),
});
export type CellRun = z.infer<typeof CellRun>;

const CellId = z.string().min(1).max(256);

/** `POST /api/studios/:studioId/notebooks/run`: queue cells in order (editors and owners). */
export const NotebookRunBody = z.strictObject({
  path: WorkspacePath,
  cellIds: z.array(CellId).min(1).max(MAX_CELLS_PER_RUN),
});
export type NotebookRunBody = z.infer<typeof NotebookRunBody>;

/** `POST /api/studios/:studioId/notebooks/kernel`: kernel lifecycle for one notebook. */
export const NotebookKernelBody = z.discriminatedUnion('action', [
  /** Starts the notebook's kernel, or switches it to `kernelName` (shutting the old one down). */
  z.strictObject({
    path: WorkspacePath,
    action: z.literal('start'),
    kernelName: z.string().min(1).optional(),
  }),
  z.strictObject({ path: WorkspacePath, action: z.literal('interrupt') }),
  z.strictObject({ path: WorkspacePath, action: z.literal('restart') }),
  z.strictObject({ path: WorkspacePath, action: z.literal('shutdown') }),
]);
export type NotebookKernelBody = z.infer<typeof NotebookKernelBody>;

/** `POST /api/studios/:studioId/notebooks/input`: the answer to an `input()` prompt. */
export const NotebookInputBody = z.strictObject({
  path: WorkspacePath,
  cellId: CellId,
  runId: z.string().min(1),
  value: z.string().max(1024 * 1024),
});
export type NotebookInputBody = z.infer<typeof NotebookInputBody>;

/** `POST /api/studios/:studioId/notebooks/clear-outputs`: all cells when `cellIds` is absent. */
export const NotebookClearOutputsBody = z.strictObject({
  path: WorkspacePath,
  cellIds: z.array(CellId).max(MAX_CELLS_PER_RUN).optional(),
});
export type NotebookClearOutputsBody = z.infer<typeof NotebookClearOutputsBody>;
