import {
  CellRun,
  KernelState,
  NOTEBOOK_KERNEL_KEY,
  NOTEBOOK_KERNEL_MAP,
  NOTEBOOK_RUNS_MAP,
} from '@studios/protocol';
import * as Y from 'yjs';
import type { CellKind } from './keyboard-model';

/**
 * The notebook's shared document in `@jupyter/ydoc`'s YNotebook schema, read and edited with
 * plain Yjs: the root `cells` Y.Array of Y.Maps (`id`, `cell_type`, `source` Y.Text, `metadata`
 * Y.Map, and for code cells `outputs` Y.Array and `execution_count`), notebook metadata in the
 * `meta` map. Cells are built exactly as ydoc's `createCell` builds them, so JupyterLab-schema
 * peers (the server's saver) read what we write. We do not load ydoc's classes themselves: they
 * bring Lumino and a second layer of observers for what a few functions do here.
 */
export interface NotebookDoc {
  doc: Y.Doc;
  cells: Y.Array<Y.Map<unknown>>;
  meta: Y.Map<unknown>;
  runs: Y.Map<unknown>;
  kernel: Y.Map<unknown>;
  /** Undo/redo of cell operations (insert, delete, move, type changes) made here, not typing. */
  undo: Y.UndoManager;
}

/** Origin of the cell operations this browser makes: what `undo` tracks. */
export const CELL_OPERATION = Symbol('notebook cell operation');

export function openNotebookDoc(doc: Y.Doc): NotebookDoc {
  const cells = doc.getArray<Y.Map<unknown>>('cells');
  return {
    doc,
    cells,
    meta: doc.getMap('meta'),
    runs: doc.getMap(NOTEBOOK_RUNS_MAP),
    kernel: doc.getMap(NOTEBOOK_KERNEL_MAP),
    undo: new Y.UndoManager(cells, { trackedOrigins: new Set([CELL_OPERATION]), captureTimeout: 0 }),
  };
}

const toJson = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

export const cellId = (cell: Y.Map<unknown>): string => String(cell.get('id') ?? '');

export function cellKind(cell: Y.Map<unknown>): CellKind {
  const type = cell.get('cell_type');
  return type === 'markdown' || type === 'raw' ? type : 'code';
}

export function cellSource(cell: Y.Map<unknown>): Y.Text | null {
  const source = cell.get('source');
  return source instanceof Y.Text ? source : null;
}

/** The cell's outputs as nbformat JSON, whether stored as Y.Maps (ydoc) or plain objects. */
export function cellOutputs(cell: Y.Map<unknown>): unknown[] {
  const outputs = cell.get('outputs');
  if (outputs instanceof Y.Array) return outputs.toArray().map(toJson);
  return Array.isArray(outputs) ? outputs : [];
}

export function cellExecutionCount(cell: Y.Map<unknown>): number | null {
  const count = cell.get('execution_count');
  return typeof count === 'number' ? count : null;
}

export function cellMetadata(cell: Y.Map<unknown>): Record<string, unknown> {
  const metadata = toJson(cell.get('metadata'));
  return metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : {};
}

/** nbformat's `collapsed` / `jupyter.outputs_hidden`: outputs hidden when the notebook opens. */
export function outputsHiddenInMetadata(cell: Y.Map<unknown>): boolean {
  const metadata = cellMetadata(cell);
  const jupyter = metadata.jupyter as { outputs_hidden?: unknown } | undefined;
  return metadata.collapsed === true || jupyter?.outputs_hidden === true;
}

/** The Monaco language of code cells: kernelspec, then language_info, python by default. */
export function notebookLanguage(meta: Y.Map<unknown>): string {
  const metadata = toJson(meta.get('metadata')) as
    | { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } }
    | undefined;
  const language = metadata?.kernelspec?.language ?? metadata?.language_info?.name;
  return typeof language === 'string' && language ? language.toLowerCase() : 'python';
}

export function readRun(runs: Y.Map<unknown>, id: string): CellRun | null {
  const parsed = CellRun.safeParse(toJson(runs.get(id)));
  return parsed.success ? parsed.data : null;
}

export function readKernel(kernel: Y.Map<unknown>): KernelState | null {
  const parsed = KernelState.safeParse(toJson(kernel.get(NOTEBOOK_KERNEL_KEY)));
  return parsed.success ? parsed.data : null;
}

function newCellId(): string {
  return crypto.randomUUID();
}

interface CellContent {
  id?: string;
  kind: CellKind;
  source?: string;
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  executionCount?: number | null;
}

/** A cell map as ydoc's `createCell` makes it (outputs as Y.Maps, stream text as Y.Text). */
export function createCellMap(content: CellContent): Y.Map<unknown> {
  const cell = new Y.Map<unknown>();
  const source = new Y.Text();
  if (content.source) source.insert(0, content.source);
  const metadata = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(content.metadata ?? {})) metadata.set(key, value);
  cell.set('source', source);
  cell.set('metadata', metadata);
  cell.set('cell_type', content.kind);
  cell.set('id', content.id ?? newCellId());
  if (content.kind === 'code') {
    const outputs = new Y.Array<Y.Map<unknown>>();
    outputs.push((content.outputs ?? []).map(outputMap));
    cell.set('outputs', outputs);
    cell.set('execution_count', content.executionCount ?? null);
  }
  return cell;
}

function outputMap(output: unknown): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries((output ?? {}) as Record<string, unknown>)) {
    if (key === 'text' && (output as { output_type?: unknown }).output_type === 'stream') {
      map.set(key, new Y.Text(Array.isArray(value) ? value.join('') : String(value)));
    } else map.set(key, value);
  }
  return map;
}

function indexOf(nb: NotebookDoc, id: string | null): number {
  if (id === null) return -1;
  return nb.cells.toArray().findIndex((cell) => cellId(cell) === id);
}

/** Inserts an empty code cell next to `of` (at the end when it is gone) and returns its id. */
export function insertCell(nb: NotebookDoc, where: 'above' | 'below', of: string | null): string {
  const cell = createCellMap({ kind: 'code' });
  const at = indexOf(nb, of);
  const index = at < 0 ? nb.cells.length : where === 'above' ? at : at + 1;
  nb.doc.transact(() => nb.cells.insert(index, [cell]), CELL_OPERATION);
  return cellId(cell);
}

export function deleteCells(nb: NotebookDoc, ids: readonly string[]): void {
  const doomed = new Set(ids);
  nb.doc.transact(() => {
    const cells = nb.cells.toArray();
    for (let index = cells.length - 1; index >= 0; index -= 1) {
      if (doomed.has(cellId(cells[index] as Y.Map<unknown>))) nb.cells.delete(index, 1);
    }
  }, CELL_OPERATION);
}

function copyOf(cell: Y.Map<unknown>, kind: CellKind = cellKind(cell)): Y.Map<unknown> {
  const keepOutputs = kind === 'code' && cellKind(cell) === 'code';
  return createCellMap({
    id: cellId(cell),
    kind,
    source: cellSource(cell)?.toString() ?? '',
    metadata: cellMetadata(cell),
    outputs: keepOutputs ? cellOutputs(cell) : [],
    executionCount: keepOutputs ? cellExecutionCount(cell) : null,
  });
}

/**
 * Changes cells' types the way ydoc does: a new cell with the same id and source replaces the
 * old one (a markdown cell has no outputs). Concurrent typing in that cell is lost, as in
 * JupyterLab.
 */
export function setCellsKind(nb: NotebookDoc, ids: readonly string[], kind: CellKind): void {
  const wanted = new Set(ids);
  nb.doc.transact(() => {
    nb.cells.toArray().forEach((cell, index) => {
      if (!wanted.has(cellId(cell)) || cellKind(cell) === kind) return;
      const replacement = copyOf(cell, kind);
      nb.cells.delete(index, 1);
      nb.cells.insert(index, [replacement]);
    });
  }, CELL_OPERATION);
}

/**
 * Moves one cell to `toIndex` (an index in the list without it). Yjs has no move: like ydoc's
 * `moveCell`, the cell is copied (same id, source, metadata, outputs) and the original deleted.
 */
export function moveCell(nb: NotebookDoc, id: string, toIndex: number): void {
  const from = indexOf(nb, id);
  if (from < 0) return;
  const cell = nb.cells.get(from);
  const target = Math.max(0, Math.min(nb.cells.length - 1, toIndex));
  if (target === from) return;
  nb.doc.transact(() => {
    const copy = copyOf(cell);
    nb.cells.delete(from, 1);
    nb.cells.insert(target, [copy]);
  }, CELL_OPERATION);
}
