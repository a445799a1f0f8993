import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloseCode, NOTEBOOK_RUNS_MAP } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import { folderDocumentFiles } from '../testing/folder-document-files';
import { cellsOf, outputToYMap } from './notebook-schema';

const { dirs, clients, startServer } = useCollabEnv();
const FIXTURES = join(import.meta.dirname, '../../testdata/notebooks');

async function setup(fixture: string, maxNotebookBytes?: number) {
  const root = dirs.make('ws-');
  const file = join(root, 'nb.ipynb');
  await copyFile(join(FIXTURES, fixture), file);
  const original = await readFile(file, 'utf8');
  const server = await startServer({
    dbPath: join(dirs.make('db-'), 'collab.db'),
    workspaceRoot: root,
    writeDebounceMs: 30,
    pollIntervalMs: 200,
    ...(maxNotebookBytes ? { maxNotebookBytes } : {}),
  });
  const url = server.collabUrl('s1');
  const open = (user: string) => {
    const client = connectClient(url, 'nb.ipynb', { user });
    clients.push(client);
    return client;
  };
  const a = open('ann');
  const expectedCells = JSON.parse(original).cells.length;
  await waitFor(() => cellsOf(a.doc).length === expectedCells, { what: 'the notebook to sync' });
  return { root, file, original, server, url, open, a };
}

const sourceOf = (doc: Y.Doc, index: number) => cellsOf(doc).get(index).get('source') as Y.Text;
const firstCodeCell = (doc: Y.Doc) =>
  cellsOf(doc)
    .toArray()
    .find((cell) => cell.get('cell_type') === 'code');

describe('notebook rooms', () => {
  it('opens a notebook as YNotebook cells and leaves the unedited file alone', async () => {
    const { file, original, a, server } = await setup('nbclient-inline-image.ipynb');
    const before = await stat(file);
    expect(sourceOf(a.doc, 0).toString()).toBe(JSON.parse(original).cells[0].source.join(''));
    await server.service.flushAll();
    expect(await readFile(file, 'utf8')).toBe(original);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
  });

  it('saves an edit in nbformat layout, keeping outputs, metadata and (now 4.5) cell ids', async () => {
    const { file, original, a } = await setup('nbclient-inline-image.ipynb');
    sourceOf(a.doc, 0).insert(0, '# edited\n');
    const saved = await waitFor(async () => {
      const text = await readFile(file, 'utf8');
      return text.includes('# edited') ? JSON.parse(text) : null;
    });
    const before = JSON.parse(original);
    expect(saved.nbformat_minor).toBe(5);
    expect(saved.cells.map((cell: { outputs?: unknown }) => cell.outputs)).toEqual(
      before.cells.map((cell: { outputs?: unknown }) => cell.outputs),
    );
    expect(saved.metadata).toEqual(before.metadata);
    expect(saved.cells.every((cell: { id?: unknown }) => typeof cell.id === 'string')).toBe(true);
  });

  it('closes a client that forges outputs (4403) and keeps serving everyone else', async () => {
    const { a, open } = await setup('nbclient-inline-image.ipynb');
    const b = open('ben');
    await waitFor(() => cellsOf(b.doc).length === cellsOf(a.doc).length);
    const outputs = firstCodeCell(a.doc)?.get('outputs') as Y.Array<Y.Map<unknown>>;
    const before = outputs.length;
    outputs.push([outputToYMap({ output_type: 'stream', name: 'stdout', text: 'forged' })]);
    await waitFor(() => a.closes.find((close) => close.code === CloseCode.Forbidden), {
      what: 'the forger closed',
    });
    a.provider.disconnect();
    sourceOf(b.doc, 0).insert(0, 'still ');
    const c = open('cy');
    await waitFor(() => cellsOf(c.doc).length > 0 && sourceOf(c.doc, 0).toString().startsWith('still '));
    expect((firstCodeCell(c.doc)?.get('outputs') as Y.Array<unknown> | undefined)?.length).toBe(before);
    expect(b.closes).toEqual([]);
  });

  it('keeps writing outputs through a handle after every browser has left', async () => {
    const { file, a, server, root } = await setup('nbclient-error.ipynb');
    const handle = await server.service.openNotebook('s1', folderDocumentFiles(root), 'nb.ipynb');
    const cellId = String(firstCodeCell(a.doc)?.get('id'));
    a.destroy();
    clients.splice(clients.indexOf(a), 1);
    handle.clearOutputs(cellId);
    for (let i = 0; i < 50; i++)
      handle.appendOutput(cellId, { output_type: 'stream', name: 'stdout', text: `${i}\n` });
    handle.setExecutionCount(cellId, 7);
    handle.setRun(cellId, {
      runId: 'r1',
      state: 'ok',
      by: { id: 'ann', name: 'ann' },
      queuedAt: '2026-11-29T00:00:00Z',
      startedAt: null,
      endedAt: null,
      executionCount: 7,
      input: null,
    });
    expect(handle.outputs(cellId)).toHaveLength(1);
    const saved = await waitFor(async () => {
      const notebook = JSON.parse(await readFile(file, 'utf8'));
      const cell = notebook.cells.find((c: { id: string }) => c.id === cellId);
      return cell?.execution_count === 7 ? cell : null;
    });
    expect(saved.outputs).toEqual([
      { name: 'stdout', output_type: 'stream', text: Array.from({ length: 50 }, (_, i) => `${i}\n`) },
    ]);
    expect(server.service.stats().rooms).toBe(1);
    const b = connectClient(server.collabUrl('s1'), 'nb.ipynb', { user: 'ben' });
    clients.push(b);
    await waitFor(() => b.doc.getMap(NOTEBOOK_RUNS_MAP).get(cellId));
    handle.dispose();
  });

  it('merges a notebook changed on disk per cell with live typing in another cell', async () => {
    const { file, original, a } = await setup('nbclient-clear-output.ipynb');
    const notebook = JSON.parse(original);
    const last = cellsOf(a.doc).length - 1;
    sourceOf(a.doc, last).insert(0, 'typed ');
    notebook.cells[0].source = ['changed on disk\n'];
    notebook.cells.push({ cell_type: 'markdown', metadata: {}, source: ['added on disk'] });
    await writeFile(file, `${JSON.stringify(notebook, null, 1)}\n`);
    await waitFor(
      () =>
        sourceOf(a.doc, 0).toString() === 'changed on disk\n' &&
        cellsOf(a.doc).length === notebook.cells.length &&
        sourceOf(a.doc, last).toString().startsWith('typed '),
      { what: 'the disk change merged' },
    );
    const saved = await waitFor(async () => {
      const text = await readFile(file, 'utf8');
      return text.includes('typed ') ? JSON.parse(text) : null;
    });
    expect(saved.cells.at(-1).source).toEqual(['added on disk']);
  });

  it('keeps the live notebook when its file turns into invalid JSON (4415)', async () => {
    const { file, a } = await setup('nbclient-svg.ipynb');
    sourceOf(a.doc, 0).insert(0, 'kept ');
    await waitFor(async () => (await readFile(file, 'utf8')).includes('kept '));
    await writeFile(file, '{"cells": [');
    await waitFor(() => a.closes.find((close) => close.code === CloseCode.UnsupportedDocument));
    expect(sourceOf(a.doc, 0).toString().startsWith('kept ')).toBe(true);
  });

  it('holds the size limit against server outputs and client edits', async () => {
    const { a, server, root } = await setup('nbclient-error.ipynb', 64 * 1024);
    const handle = await server.service.openNotebook('s1', folderDocumentFiles(root), 'nb.ipynb');
    const [cellId = ''] = handle.cellIds();
    const chunk = { output_type: 'stream', name: 'stdout', text: 'x'.repeat(10_000) } as const;
    const results = Array.from({ length: 10 }, () => handle.appendOutput(cellId, chunk));
    expect(results).toContain('notebook-full');
    expect(results.indexOf('notebook-full')).toBeGreaterThan(2);
    handle.dispose();
    sourceOf(a.doc, 0).insert(0, 'y'.repeat(40_000));
    await waitFor(() => a.closes.find((close) => close.code === CloseCode.MessageTooBig), {
      what: 'the 1009',
    });
  });
});
