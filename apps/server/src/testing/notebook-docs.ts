// Test support: reading a notebook's shared document as a browser does, and writing notebooks.
import {
  type CellRun,
  type KernelState,
  NOTEBOOK_KERNEL_KEY,
  NOTEBOOK_KERNEL_MAP,
  NOTEBOOK_RUNS_MAP,
} from '@studios/protocol';
import * as Y from 'yjs';
import type { Account, ListeningTestServer } from './test-server';

/** An nbformat 4 code cell with no outputs. */
export const codeCell = (id: string, source: string) => ({
  cell_type: 'code',
  id,
  metadata: {},
  execution_count: null,
  outputs: [],
  source,
});

export function cellMap(doc: Y.Doc, cellId: string): Y.Map<unknown> | undefined {
  return doc
    .getArray<Y.Map<unknown>>('cells')
    .toArray()
    .find((cell) => cell.get('id') === cellId);
}

/** A cell's outputs as nbformat JSON, as a browser reads them from the shared document. */
export function outputsOf(doc: Y.Doc, cellId: string): Array<Record<string, unknown>> {
  const outputs = cellMap(doc, cellId)?.get('outputs');
  return outputs instanceof Y.Array ? (outputs.toJSON() as Array<Record<string, unknown>>) : [];
}

export const runOf = (doc: Y.Doc, cellId: string) => doc.getMap<CellRun>(NOTEBOOK_RUNS_MAP).get(cellId);
export const kernelOf = (doc: Y.Doc) => doc.getMap<KernelState>(NOTEBOOK_KERNEL_MAP).get(NOTEBOOK_KERNEL_KEY);

/** Everything a cell printed, in order. */
export const streamText = (doc: Y.Doc, cellId: string) =>
  outputsOf(doc, cellId)
    .filter((output) => output.output_type === 'stream')
    .map((output) => String(output.text))
    .join('');

/** The `text/plain` of a cell's execute_result. */
export function resultOf(doc: Y.Doc, cellId: string): unknown {
  const result = outputsOf(doc, cellId).find((output) => output.output_type === 'execute_result');
  return (result?.data as Record<string, unknown> | undefined)?.['text/plain'];
}

/** Uploads a notebook through the files API as `who`; resolves with the HTTP status. */
export async function uploadNotebook(
  t: ListeningTestServer,
  who: Account,
  studioId: string,
  path: string,
  content: string,
): Promise<number> {
  const response = await t.request(
    `/api/studios/${studioId}/files/content?path=${encodeURIComponent(path)}`,
    {
      method: 'PUT',
      headers: { cookie: who.cookie, origin: t.origin, 'content-type': 'application/octet-stream' },
      body: content,
    },
  );
  return response.status;
}
