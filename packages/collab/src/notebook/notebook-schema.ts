import { randomUUID } from 'node:crypto';
import type * as nbformat from '@jupyterlab/nbformat';
import * as Y from 'yjs';
import { isJsonMimeType, joinMultiline, splitLinesKeepEnds } from './nbformat-json';

/**
 * The Yjs schema of `@jupyter/ydoc`'s `YNotebook` (4.2), written directly: `YNotebook` cannot
 * wrap an existing Y.Doc (its constructor ignores `options.ydoc`) and brings an awareness and an
 * undo manager the server has no use for. Tests prove a `YNotebook` reads what is written here.
 * - `cells`: Y.Array of Y.Map cells: `id`, `cell_type`, `source` (Y.Text), `metadata` (Y.Map of
 *   JSON), code cells `outputs` (Y.Array of Y.Map, a stream's `text` a Y.Text) and
 *   `execution_count`, markdown/raw cells `attachments` (JSON);
 * - `meta`: `nbformat`, `nbformat_minor`, `metadata` (Y.Map of JSON).
 */
export const CELLS = 'cells';
export const META = 'meta';

/** A JSON object as parsed from a notebook. */
export type JsonObject = Record<string, unknown>;

/** The notebook's cells (`YNotebook`'s `cells`). */
export function cellsOf(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(CELLS);
}

/** The notebook's `meta`: `nbformat`, `nbformat_minor` and `metadata`. */
export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META);
}

/** Fills an empty doc with a parsed notebook; cells without an id get one (kept in the doc only). */
export function writeNotebook(doc: Y.Doc, notebook: nbformat.INotebookContent): void {
  const meta = metaOf(doc);
  meta.set('nbformat', notebook.nbformat);
  meta.set('nbformat_minor', notebook.nbformat_minor);
  meta.set('metadata', jsonMap(notebook.metadata ?? {}));
  cellsOf(doc).push(notebook.cells.map((cell) => cellToYMap(cell)));
}

/** A cell as the Y.Map `YNotebook` expects (`createCell` in @jupyter/ydoc). */
export function cellToYMap(cell: nbformat.ICell): Y.Map<unknown> {
  // A Y.Map that is not in a doc yet answers `has` with false: the defaults are decided here.
  const fields: JsonObject = { source: '', metadata: {}, ...(cell as unknown as JsonObject) };
  if (typeof fields.id !== 'string' || fields.id === '') fields.id = randomUUID();
  if (cell.cell_type === 'code') {
    fields.outputs ??= [];
    fields.execution_count ??= null;
  }
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'source') map.set('source', new Y.Text(joinMultiline(value)));
    else if (key === 'metadata') map.set('metadata', jsonMap(isRecord(value) ? value : {}));
    else if (key === 'outputs') map.set('outputs', outputsToYArray(Array.isArray(value) ? value : []));
    else map.set(key, value);
  }
  return map;
}

/** Outputs as the Y.Array of a code cell's `outputs`. */
export function outputsToYArray(outputs: readonly nbformat.IOutput[]): Y.Array<Y.Map<unknown>> {
  const array = new Y.Array<Y.Map<unknown>>();
  array.push(outputs.map(outputToYMap));
  return array;
}

/** An output as a Y.Map of its fields; a stream's text is a Y.Text, so it can grow in place. */
export function outputToYMap(output: nbformat.IOutput): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(output)) {
    if (output.output_type === 'stream' && key === 'text') map.set('text', new Y.Text(joinMultiline(value)));
    else map.set(key, structuredClone(value));
  }
  return map;
}

function jsonMap(object: JsonObject): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(object)) map.set(key, value);
  return map;
}

/**
 * The doc as an nbformat notebook, laid out as nbformat writes it (sources and text split in
 * lines). Cell ids are written from nbformat 4.5 on, as nbformat requires and allows.
 */
export function readNotebook(doc: Y.Doc, layout: LineLayout = splitLinesKeepEnds): nbformat.INotebookContent {
  const meta = metaOf(doc);
  const nbformatMajor = typeof meta.get('nbformat') === 'number' ? (meta.get('nbformat') as number) : 4;
  const minor = typeof meta.get('nbformat_minor') === 'number' ? (meta.get('nbformat_minor') as number) : 5;
  const withIds = nbformatMajor > 4 || (nbformatMajor === 4 && minor >= 5);
  const metadata = meta.get('metadata');
  return {
    cells: cellsOf(doc)
      .toArray()
      .map((cell) => readCell(cell, withIds, layout)),
    metadata: (metadata instanceof Y.Map ? metadata.toJSON() : {}) as nbformat.INotebookMetadata,
    nbformat: nbformatMajor,
    nbformat_minor: minor,
  };
}

/** How a multi-line string is split into a list of lines when written. */
export type LineLayout = (text: string) => string[];

/** A cell as nbformat JSON, laid out by `layout`; its id only from nbformat 4.5 on. */
export function readCell(
  cell: Y.Map<unknown>,
  withId: boolean,
  layout: LineLayout = splitLinesKeepEnds,
): nbformat.ICell {
  const json: JsonObject = {};
  for (const [key, value] of cell.entries()) {
    if (key === 'id' && !withId) continue;
    if (key === 'source') json.source = layout(String(value));
    else if (key === 'outputs' && value instanceof Y.Array)
      json.outputs = value.toArray().map((output) => readOutput(output, layout));
    else if (key === 'attachments' && isRecord(value)) json.attachments = splitAttachments(value);
    else if (key === 'execution_state') continue;
    else json[key] = value instanceof Y.AbstractType ? value.toJSON() : value;
  }
  return json as unknown as nbformat.ICell;
}

/** An output as nbformat JSON. */
export function readOutput(
  output: Y.Map<unknown>,
  layout: LineLayout = splitLinesKeepEnds,
): nbformat.IOutput {
  return normalizeOutput(output.toJSON() as JsonObject, layout);
}

/** An output's JSON laid out as nbformat writes it (stream text and text mime values in lines). */
export function normalizeOutput(
  output: JsonObject,
  layout: LineLayout = splitLinesKeepEnds,
): nbformat.IOutput {
  const json = { ...output };
  if (json.output_type === 'stream') json.text = layout(joinMultiline(json.text));
  if (isRecord(json.data)) json.data = splitMimeBundle(json.data);
  return json as nbformat.IOutput;
}

function splitAttachments(attachments: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(attachments).map(([name, bundle]) => [
      name,
      isRecord(bundle) ? splitMimeBundle(bundle) : bundle,
    ]),
  );
}

/** nbformat's `_split_mimebundle`: text values in lines, JSON mimetypes as they are. */
function splitMimeBundle(bundle: JsonObject): JsonObject {
  const split: JsonObject = {};
  for (const [mime, value] of Object.entries(bundle)) {
    split[mime] = typeof value === 'string' && !isJsonMimeType(mime) ? splitLinesKeepEnds(value) : value;
  }
  return split;
}

/** Whether a JSON value is an object (not an array, not null). */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The cell with this id, and where it is. */
export function findCell(doc: Y.Doc, cellId: string): { cell: Y.Map<unknown>; index: number } | null {
  const cells = cellsOf(doc);
  for (let index = 0; index < cells.length; index++) {
    const cell = cells.get(index);
    if (cell.get('id') === cellId) return { cell, index };
  }
  return null;
}
