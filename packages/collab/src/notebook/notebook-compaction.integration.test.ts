import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { UpdateLog } from '../persistence/update-log';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import { folderDocumentFiles } from '../testing/folder-document-files';
import { cellsOf } from './notebook-schema';

const { dirs, clients, startServer } = useCollabEnv();
const FIXTURES = join(import.meta.dirname, '../../testdata/notebooks');

describe('notebook log compaction', () => {
  // 40 MB of outputs through the log and a connected client: seconds on a loaded machine.
  it('re-running a plot 1,000 times keeps the log near the size of the notebook, with clients in sync', {
    timeout: 60_000,
  }, async () => {
    const root = dirs.make('ws-');
    await copyFile(join(FIXTURES, 'nbclient-inline-image.ipynb'), join(root, 'nb.ipynb'));
    const dbPath = join(dirs.make('db-'), 'collab.db');
    const server = await startServer({ dbPath, workspaceRoot: root, writeDebounceMs: 30 });
    const watcher = connectClient(server.collabUrl('s1'), 'nb.ipynb', { user: 'ann' });
    clients.push(watcher);
    await waitFor(() => cellsOf(watcher.doc).length > 0);
    const handle = await server.service.openNotebook('s1', folderDocumentFiles(root), 'nb.ipynb');
    const [cellId] = handle.cellIds();
    if (!cellId) throw new Error('no cell');
    // A 40 KB PNG, different every run (as a re-drawn plot is).
    const plot = (run: number) => `${String(run).padStart(6, '0')}${'A'.repeat(40_000)}`;
    for (let run = 0; run < 1000; run++) {
      handle.clearOutputs(cellId);
      handle.appendOutput(cellId, {
        output_type: 'display_data',
        data: { 'image/png': plot(run), 'text/plain': '<Figure>' },
        metadata: {},
      });
      // Let each run commit on its own turn, as kernel messages arrive.
      if (run % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const log = new UpdateLog(dbPath);
    try {
      await waitFor(() => log.count('s1', 'nb.ipynb') > 0);
      // 1,000 runs wrote 40 MB of outputs; the log holds a few states' worth.
      expect(log.byteSize('s1', 'nb.ipynb')).toBeLessThan(8 * 1024 * 1024);
    } finally {
      log.close();
    }
    const outputsOf = (doc: Y.Doc) =>
      JSON.stringify(
        cellsOf(doc)
          .toArray()
          .find((cell) => cell.get('id') === cellId)
          ?.get('outputs'),
      );
    await waitFor(() => outputsOf(watcher.doc).includes(plot(999)), {
      what: 'the connected client to see the last run',
    });
    const late = connectClient(server.collabUrl('s1'), 'nb.ipynb', { user: 'ben' });
    clients.push(late);
    await waitFor(
      () => outputsOf(late.doc) === outputsOf(watcher.doc) && outputsOf(late.doc).includes(plot(999)),
    );
    await handle.flush();
    expect(await readFile(join(root, 'nb.ipynb'), 'utf8')).toContain(plot(999).slice(0, 20));
    handle.dispose();
  });
});
