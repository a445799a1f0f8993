import type * as nbformat from '@jupyterlab/nbformat';
import {
  type CellRun,
  type KernelState,
  NOTEBOOK_KERNEL_KEY,
  NOTEBOOK_KERNEL_MAP,
  NOTEBOOK_RUNS_MAP,
} from '@studios/protocol';
import * as Y from 'yjs';
import { joinMultiline } from './nbformat-json';
import { cellsOf, findCell, metaOf, outputToYMap, readOutput } from './notebook-schema';
import { applyStreamControlChars, hasControlChars } from './stream-control-chars';

/** What a handle needs of its room: the doc, and a way to change it as the server. */
export interface NotebookRoomAccess {
  readonly doc: Y.Doc;
  readonly path: string;
  /** Runs `change` as the server's own transaction (logged, broadcast, saved like any edit). */
  transactAsServer(change: () => void): void;
  /** Whether `bytes` more would take the notebook past its size limit. */
  wouldExceedSize(bytes: number): boolean;
  flush(): Promise<void>;
}

/** What {@link NotebookHandle.appendOutput} did. */
export type AppendOutputResult =
  | 'appended'
  | 'cell-not-found'
  /** The notebook would pass MAX_NOTEBOOK_DOCUMENT_BYTES: nothing was added (tell the user, stop the stream). */
  | 'notebook-full';

/** A cell as the kernel feature needs it. */
export interface NotebookCellInfo {
  id: string;
  index: number;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
}

/**
 * The server's hold on a live notebook, for the kernel feature: while a handle is open the room
 * stays loaded (and keeps saving) even when every browser has left, so a cell can stream for
 * minutes into a notebook nobody is looking at. Every change is the server's own (the guard
 * refuses these fields from clients) and reaches the log, every client and the file like an
 * edit. Call {@link dispose} when the kernel is done with the notebook.
 */
export class NotebookHandle {
  readonly #room: NotebookRoomAccess;
  readonly #release: () => void;
  /** Cells whose outputs clear when their next output arrives (`clear_output(wait=True)`). */
  readonly #clearOnNextOutput = new Set<string>();
  /** display_id → the outputs showing it (Y.Maps: they stay right when outputs before them go). */
  readonly #displays = new Map<string, Set<Y.Map<unknown>>>();
  /** Stream texts whose last chunk ended in `\r` (the next one overwrites that line). */
  readonly #endsWithReturn = new WeakSet<Y.Text>();
  #disposed = false;

  constructor(room: NotebookRoomAccess, release: () => void) {
    this.#room = room;
    this.#release = release;
  }

  /** The notebook's path now (it follows renames). */
  get path(): string {
    return this.#room.path;
  }

  /** The cell with this id, or null. */
  findCell(cellId: string): NotebookCellInfo | null {
    const found = findCell(this.#room.doc, cellId);
    if (!found) return null;
    const type = found.cell.get('cell_type');
    return {
      id: cellId,
      index: found.index,
      cellType: type === 'markdown' || type === 'raw' ? type : 'code',
      source: String(found.cell.get('source') ?? ''),
    };
  }

  /** Every cell id, in order. */
  cellIds(): string[] {
    return cellsOf(this.#room.doc)
      .toArray()
      .map((cell) => String(cell.get('id')));
  }

  /** A cell's outputs as nbformat JSON (null: no such code cell). */
  outputs(cellId: string): nbformat.IOutput[] | null {
    const outputs = this.#outputsOf(cellId);
    return outputs ? outputs.toArray().map((output) => readOutput(output)) : null;
  }

  /**
   * Appends an output to a code cell; a `stream` output following one of the same name grows it
   * instead. `displayId` (the kernel message's `transient.display_id`) lets
   * {@link updateDisplay} find it later.
   */
  appendOutput(cellId: string, output: nbformat.IOutput, displayId?: string): AppendOutputResult {
    if (this.#room.wouldExceedSize(approximateSize(output))) return 'notebook-full';
    const found = this.#change(cellId, (outputs) => {
      if (this.#clearOnNextOutput.delete(cellId)) outputs.delete(0, outputs.length);
      const last = outputs.length > 0 ? outputs.get(outputs.length - 1) : undefined;
      if (
        output.output_type === 'stream' &&
        last?.get('output_type') === 'stream' &&
        last.get('name') === output.name
      ) {
        const text = last.get('text');
        if (text instanceof Y.Text) {
          appendStreamText(text, joinMultiline(output.text), this.#endsWithReturn);
          return;
        }
      }
      // Plain text (most output) is taken as is: a megabyte of it is not split into lines.
      const streamText =
        output.output_type === 'stream' ? shownStreamText(joinMultiline(output.text)) : undefined;
      const map = outputToYMap(streamText === undefined ? output : { ...output, text: streamText });
      outputs.push([map]);
      const created = map.get('text');
      if (created instanceof Y.Text && streamText?.endsWith('\r')) this.#endsWithReturn.add(created);
      if (displayId !== undefined) {
        const shown = this.#displays.get(displayId) ?? new Set();
        shown.add(map);
        this.#displays.set(displayId, shown);
      }
    });
    return found ? 'appended' : 'cell-not-found';
  }

  /** `update_display_data`: every output showing `displayId` takes the new data and metadata. */
  updateDisplay(
    displayId: string,
    data: nbformat.IMimeBundle,
    metadata: nbformat.OutputMetadata = {},
  ): number {
    const shown = this.#displays.get(displayId);
    if (!shown) return 0;
    let updated = 0;
    this.#room.transactAsServer(() => {
      for (const output of shown) {
        // Cleared or deleted with its cell: forget it.
        if (!output.doc || output._item?.deleted) {
          shown.delete(output);
          continue;
        }
        output.set('data', structuredClone(data));
        output.set('metadata', structuredClone(metadata));
        updated++;
      }
    });
    if (shown.size === 0) this.#displays.delete(displayId);
    return updated;
  }

  /** Clears a cell's outputs now, or (`wait`) when its next output arrives. */
  clearOutputs(cellId: string, options: { wait?: boolean } = {}): boolean {
    if (options.wait) {
      if (!this.#outputsOf(cellId)) return false;
      this.#clearOnNextOutput.add(cellId);
      return true;
    }
    this.#clearOnNextOutput.delete(cellId);
    return this.#change(cellId, (outputs) => outputs.delete(0, outputs.length));
  }

  setExecutionCount(cellId: string, count: number | null): boolean {
    const found = findCell(this.#room.doc, cellId);
    if (found?.cell.get('cell_type') !== 'code') return false;
    this.#room.transactAsServer(() => found.cell.set('execution_count', count));
    return true;
  }

  /** Sets (or with null removes) a cell's latest run in `studios:runs`. */
  setRun(cellId: string, run: CellRun | null): void {
    const runs = this.#room.doc.getMap<CellRun>(NOTEBOOK_RUNS_MAP);
    this.#room.transactAsServer(() =>
      run === null ? runs.delete(cellId) : runs.set(cellId, structuredClone(run)),
    );
  }

  runOf(cellId: string): CellRun | null {
    return this.#room.doc.getMap<CellRun>(NOTEBOOK_RUNS_MAP).get(cellId) ?? null;
  }

  setKernelState(state: KernelState): void {
    const kernel = this.#room.doc.getMap<KernelState>(NOTEBOOK_KERNEL_MAP);
    this.#room.transactAsServer(() => kernel.set(NOTEBOOK_KERNEL_KEY, structuredClone(state)));
  }

  kernelState(): KernelState | null {
    return this.#room.doc.getMap<KernelState>(NOTEBOOK_KERNEL_MAP).get(NOTEBOOK_KERNEL_KEY) ?? null;
  }

  /** The notebook's `metadata` as JSON (e.g. `kernelspec.name`, the kernel it asks for). */
  notebookMetadata(): Record<string, unknown> {
    const metadata = metaOf(this.#room.doc).get('metadata');
    return metadata instanceof Y.Map ? (metadata.toJSON() as Record<string, unknown>) : {};
  }

  /**
   * Makes every change `changes` makes one update (one log row, one frame per client): a run
   * starting (its record, cleared outputs, count) or ending is one step for everyone.
   */
  batch(changes: () => void): void {
    this.#room.transactAsServer(changes);
  }

  /** Writes the notebook to its file now (also happens on its own within a second of a change). */
  flush(): Promise<void> {
    return this.#room.flush();
  }

  /** Lets the room unload once no browser is on it either. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#displays.clear();
    this.#release();
  }

  #outputsOf(cellId: string): Y.Array<Y.Map<unknown>> | null {
    const outputs = findCell(this.#room.doc, cellId)?.cell.get('outputs');
    return outputs instanceof Y.Array ? (outputs as Y.Array<Y.Map<unknown>>) : null;
  }

  #change(cellId: string, change: (outputs: Y.Array<Y.Map<unknown>>) => void): boolean {
    if (this.#disposed) throw new Error('notebook handle is disposed');
    const outputs = this.#outputsOf(cellId);
    if (!outputs) return false;
    this.#room.transactAsServer(() => change(outputs));
    return true;
  }
}

/** An output's size in the file, near enough for the size limit. */
function approximateSize(output: nbformat.IOutput): number {
  // Streams are most of the output and mostly one string: no need to serialize a megabyte.
  if (output.output_type === 'stream') return 64 + joinMultiline(output.text).length;
  return JSON.stringify(output).length;
}

function shownStreamText(text: string): string {
  return hasControlChars(text) ? applyStreamControlChars(text) : text;
}

/**
 * Grows a stream's text; with `\r` or `\b` about, its last line is rewritten as it shows.
 * `endsWithReturn` remembers texts whose last chunk ended in `\r`, so plain appends never read
 * the whole text back.
 */
function appendStreamText(text: Y.Text, chunk: string, endsWithReturn: WeakSet<Y.Text>): void {
  if (!endsWithReturn.has(text) && !hasControlChars(chunk)) {
    text.insert(text.length, chunk);
    return;
  }
  const existing = text.toString();
  const lineStart = existing.lastIndexOf('\n') + 1;
  const tail = existing.slice(lineStart);
  const shown = applyStreamControlChars(tail + chunk);
  text.delete(lineStart, tail.length);
  text.insert(lineStart, shown);
  if (shown.endsWith('\r')) endsWithReturn.add(text);
  else endsWithReturn.delete(text);
}
