import type * as nbformat from '@jupyterlab/nbformat';
import * as Y from 'yjs';
import { rewriteText } from '../text/disk-merge';
import {
  cellsOf,
  cellToYMap,
  findCell,
  isRecord,
  type JsonObject,
  metaOf,
  normalizeOutput,
  outputsToYArray,
  readCell,
} from './notebook-schema';

/**
 * Three-way merge of a notebook changed on disk, per cell. The change base→disk is replayed on
 * a copy of the base state and only the new operations are returned, so it merges with live
 * edits the way the text merge does: a cell's source is rewritten with a minimal diff, cells
 * added, removed and reordered on disk are applied, and metadata keys are set one by one.
 * Outputs and execution counts from disk are taken only where the live doc still has the
 * base's (a run that finished meanwhile wins over a stale file). A cell moved on disk is
 * re-created at its new place with its id: live typing in that cell since the base is lost.
 */
export function mergeNotebookChange(
  base: Uint8Array,
  live: Y.Doc,
  disk: nbformat.INotebookContent,
): Uint8Array {
  const scratch = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(scratch, base);
    const baseVector = Y.encodeStateVector(scratch);
    scratch.transact(() => {
      const meta = metaOf(scratch);
      setIfChanged(meta, 'nbformat', disk.nbformat);
      setIfChanged(meta, 'nbformat_minor', disk.nbformat_minor);
      let metadata = meta.get('metadata');
      if (!(metadata instanceof Y.Map)) {
        metadata = new Y.Map();
        meta.set('metadata', metadata);
      }
      mergeJsonMap(metadata as Y.Map<unknown>, (disk.metadata ?? {}) as JsonObject);
      mergeCells(scratch, live, disk.cells);
    });
    return Y.encodeStateAsUpdate(scratch, baseVector);
  } finally {
    scratch.destroy();
  }
}

function mergeCells(scratch: Y.Doc, live: Y.Doc, diskCells: readonly nbformat.ICell[]): void {
  const cells = cellsOf(scratch);
  const baseCells = cells.toArray();
  const match = matchCells(baseCells, diskCells);
  // Base cells kept in place: the longest run of matches whose order disk did not change.
  const kept = new Set(longestIncreasingRun(match.filter((index): index is number => index !== null)));
  for (let index = baseCells.length - 1; index >= 0; index--) {
    if (!kept.has(index)) cells.delete(index, 1);
  }
  diskCells.forEach((diskCell, position) => {
    const baseIndex = match[position];
    if (baseIndex === null || baseIndex === undefined || !kept.has(baseIndex)) {
      // New on disk, or moved: a fresh cell (a moved one keeps its id, so runs still find it).
      const movedId =
        baseIndex !== null && baseIndex !== undefined ? baseCells[baseIndex]?.get('id') : undefined;
      const withId = typeof movedId === 'string' && !diskCell.id ? { ...diskCell, id: movedId } : diskCell;
      cells.insert(position, [cellToYMap(withId)]);
      return;
    }
    const cell = cells.get(position);
    if (cell) mergeCell(cell, live, diskCell);
  });
}

function mergeCell(cell: Y.Map<unknown>, live: Y.Doc, disk: nbformat.ICell): void {
  const source = cell.get('source');
  const diskSource = Array.isArray(disk.source) ? disk.source.join('') : disk.source;
  if (source instanceof Y.Text) rewriteText(source, diskSource);
  if (cell.get('cell_type') !== disk.cell_type) cell.set('cell_type', disk.cell_type);
  const metadata = cell.get('metadata');
  if (metadata instanceof Y.Map) mergeJsonMap(metadata, (disk.metadata ?? {}) as JsonObject);
  const liveCell = findCell(live, String(cell.get('id')))?.cell;
  const baseJson = readCell(cell, true) as JsonObject;
  const liveJson = liveCell ? (readCell(liveCell, true) as JsonObject) : baseJson;
  const diskJson = disk as unknown as JsonObject;
  if (disk.cell_type === 'code') {
    const diskOutputs = ((diskJson.outputs ?? []) as JsonObject[]).map((output) => normalizeOutput(output));
    if (!sameJson(baseJson.outputs, diskOutputs) && sameJson(baseJson.outputs, liveJson.outputs)) {
      cell.set('outputs', outputsToYArray(diskOutputs));
    }
    const count = diskJson.execution_count ?? null;
    if (
      count !== (baseJson.execution_count ?? null) &&
      baseJson.execution_count === liveJson.execution_count
    ) {
      cell.set('execution_count', count);
    }
  }
  if (!sameJson(baseJson.attachments, diskJson.attachments)) {
    if (diskJson.attachments === undefined) cell.delete('attachments');
    else cell.set('attachments', diskJson.attachments);
  }
}

/**
 * For each disk cell, the index of the base cell it is (or null: new). By id when the disk cell
 * has one; else by identical type and source in order, then left-over cells pair up by position.
 */
function matchCells(
  baseCells: readonly Y.Map<unknown>[],
  diskCells: readonly nbformat.ICell[],
): (number | null)[] {
  const match: (number | null)[] = diskCells.map(() => null);
  const taken = new Set<number>();
  const byId = new Map<string, number>();
  for (const [index, cell] of baseCells.entries()) byId.set(String(cell.get('id')), index);
  diskCells.forEach((cell, position) => {
    const index = typeof cell.id === 'string' ? byId.get(cell.id) : undefined;
    if (index !== undefined && !taken.has(index)) {
      match[position] = index;
      taken.add(index);
    }
  });
  const keyOf = (type: unknown, source: string) => `${String(type)}\u0000${source}`;
  const baseKeys = baseCells.map((cell) => keyOf(cell.get('cell_type'), String(cell.get('source'))));
  let cursor = 0;
  diskCells.forEach((cell, position) => {
    if (match[position] !== null || cell.id) return;
    const key = keyOf(cell.cell_type, Array.isArray(cell.source) ? cell.source.join('') : cell.source);
    for (let index = cursor; index < baseCells.length; index++) {
      if (!taken.has(index) && baseKeys[index] === key) {
        match[position] = index;
        taken.add(index);
        cursor = index + 1;
        return;
      }
    }
  });
  // Edited cells: an unmatched disk cell takes the unmatched base cell at the same position.
  diskCells.forEach((cell, position) => {
    if (match[position] !== null || cell.id) return;
    if (position < baseCells.length && !taken.has(position)) {
      match[position] = position;
      taken.add(position);
    }
  });
  return match;
}

/** The values of the longest strictly increasing subsequence (cells whose relative order stayed). */
function longestIncreasingRun(values: readonly number[]): number[] {
  const tails: number[] = [];
  const tailIndex: number[] = [];
  const previous: number[] = new Array(values.length).fill(-1);
  values.forEach((value, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tails[mid] ?? 0) < value) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = value;
    tailIndex[lo] = i;
    previous[i] = lo > 0 ? (tailIndex[lo - 1] ?? -1) : -1;
  });
  const run: number[] = [];
  for (let i = tailIndex[tails.length - 1] ?? -1; i >= 0; i = previous[i] ?? -1) run.push(values[i] ?? 0);
  return run.reverse();
}

/** Key by key: set what disk changed, delete what disk removed; untouched keys keep live edits. */
function mergeJsonMap(map: Y.Map<unknown>, disk: JsonObject): void {
  for (const key of [...map.keys()]) if (!(key in disk)) map.delete(key);
  for (const [key, value] of Object.entries(disk)) setIfChanged(map, key, value);
}

function setIfChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
  const current = map.get(key);
  const currentJson = current instanceof Y.AbstractType ? current.toJSON() : current;
  if (!sameJson(currentJson, value)) map.set(key, value);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => sameJson(a[key], b[key]));
  }
  return false;
}
