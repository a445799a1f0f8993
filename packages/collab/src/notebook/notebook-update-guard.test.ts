import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { YNotebook } from '@jupyter/ydoc';
import { NOTEBOOK_KERNEL_KEY, NOTEBOOK_KERNEL_MAP, NOTEBOOK_RUNS_MAP } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createNotebookCodec } from './notebook-codec';
import { cellsOf, cellToYMap, outputToYMap } from './notebook-schema';
import { findForbiddenNotebookChange } from './notebook-update-guard';

const FIXTURE = join(import.meta.dirname, '../../testdata/notebooks/nbclient-inline-image.ipynb');

/** A server doc seeded from a real notebook, and a client doc in sync with it. */
function setup(): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  server.transact(() => createNotebookCodec().prepareSeed(readFileSync(FIXTURE, 'utf8'))(server));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return { server, client };
}

/** What the client's change would send, judged against the server's doc. */
function judge(change: (client: Y.Doc) => void): string | null {
  const { server, client } = setup();
  const updates: Uint8Array[] = [];
  client.on('update', (update: Uint8Array) => updates.push(update));
  change(client);
  return findForbiddenNotebookChange(server, Y.mergeUpdates(updates));
}

/** A code cell with outputs (the fixture's image). */
const codeCell = (client: Y.Doc) => {
  const cells = cellsOf(client);
  for (let i = 0; i < cells.length; i++) {
    const outputs = cells.get(i).get('outputs');
    if (outputs instanceof Y.Array && outputs.length > 0) return cells.get(i);
  }
  throw new Error('no code cell with outputs');
};

describe('notebook update guard', () => {
  it('lets clients edit sources, metadata and cells', () => {
    expect(judge((c) => (codeCell(c).get('source') as Y.Text).insert(0, 'x = 1\n'))).toBeNull();
    expect(judge((c) => (codeCell(c).get('metadata') as Y.Map<unknown>).set('tags', ['a']))).toBeNull();
    expect(judge((c) => (c.getMap('meta').get('metadata') as Y.Map<unknown>).set('title', 't'))).toBeNull();
    expect(judge((c) => cellsOf(c).delete(0, 1))).toBeNull();
    expect(
      judge((c) =>
        cellsOf(c).insert(1, [
          cellToYMap({ cell_type: 'code', source: 'y', metadata: {}, outputs: [], execution_count: null }),
        ]),
      ),
    ).toBeNull();
  });

  it('lets a JupyterLab YNotebook client add and delete cells', () => {
    const { server } = setup();
    const notebook = new YNotebook();
    Y.applyUpdate(notebook.ydoc, Y.encodeStateAsUpdate(server));
    const updates: Uint8Array[] = [];
    notebook.ydoc.on('update', (update: Uint8Array) => updates.push(update));
    notebook.insertCell(0, { cell_type: 'code', source: 'print(1)' });
    notebook.insertCell(0, { cell_type: 'markdown', source: '# hi' });
    notebook.deleteCell(2);
    expect(findForbiddenNotebookChange(server, Y.mergeUpdates(updates))).toBeNull();
    notebook.dispose();
  });

  it('refuses forged outputs, execution counts, runs and kernel state', () => {
    const stream = { output_type: 'stream', name: 'stdout', text: 'forged' } as const;
    expect(
      judge((c) => (codeCell(c).get('outputs') as Y.Array<Y.Map<unknown>>).push([outputToYMap(stream)])),
    ).toMatch(/server/);
    expect(judge((c) => (codeCell(c).get('outputs') as Y.Array<unknown>).delete(0, 1))).toMatch(/server/);
    expect(judge((c) => codeCell(c).set('execution_count', 99))).toMatch(/execution_count/);
    expect(judge((c) => codeCell(c).set('outputs', new Y.Array()))).toMatch(/outputs/);
    expect(judge((c) => codeCell(c).delete('outputs'))).toMatch(/server/);
    expect(judge((c) => c.getMap(NOTEBOOK_RUNS_MAP).set('cell', { state: 'ok' }))).toMatch(/server/);
    expect(judge((c) => c.getMap(NOTEBOOK_KERNEL_MAP).set(NOTEBOOK_KERNEL_KEY, { status: 'idle' }))).toMatch(
      /server/,
    );
  });

  it('refuses a new cell that brings outputs or an execution count', () => {
    const withOutputs = {
      cell_type: 'code' as const,
      source: '',
      metadata: {},
      outputs: [{ output_type: 'stream' as const, name: 'stdout' as const, text: 'x' }],
      execution_count: null,
    };
    expect(judge((c) => cellsOf(c).push([cellToYMap(withOutputs)]))).toMatch(/server|outputs/);
    expect(
      judge((c) => cellsOf(c).push([cellToYMap({ ...withOutputs, outputs: [], execution_count: 3 })])),
    ).toMatch(/execution count/);
  });

  it('refuses an update that depends on content the server never got', () => {
    const { server, client } = setup();
    const first: Uint8Array[] = [];
    const second: Uint8Array[] = [];
    let sink = first;
    client.on('update', (update: Uint8Array) => sink.push(update));
    const source = codeCell(client).get('source') as Y.Text;
    source.insert(0, 'abc');
    sink = second;
    source.insert(2, 'X');
    expect(findForbiddenNotebookChange(server, Y.mergeUpdates(second))).toMatch(/does not have/);
  });

  it('lets a JupyterLab client move a cell with its outputs, and only that', () => {
    const { server } = setup();
    const notebook = new YNotebook();
    Y.applyUpdate(notebook.ydoc, Y.encodeStateAsUpdate(server));
    const withOutputs = notebook.cells.findIndex(
      (cell) => cell.cell_type === 'code' && (cell.toJSON().outputs as unknown[]).length > 0,
    );
    const updates: Uint8Array[] = [];
    notebook.ydoc.on('update', (update: Uint8Array) => updates.push(update));
    notebook.moveCell(withOutputs, 0);
    expect(findForbiddenNotebookChange(server, Y.mergeUpdates(updates))).toBeNull();
    Y.applyUpdate(server, Y.mergeUpdates(updates));
    updates.length = 0;
    // A copy that keeps the original (no delete) is a forgery of outputs.
    const copy = notebook.getCell(0).toJSON();
    notebook.insertCell(1, { ...copy, id: 'copy' });
    expect(findForbiddenNotebookChange(server, Y.mergeUpdates(updates))).toMatch(/outputs/);
    notebook.dispose();
  });
});
