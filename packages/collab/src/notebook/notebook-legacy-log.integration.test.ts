import { createHash } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEXT_SOURCE_NAME } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateLog } from '../persistence/update-log';
import { connectClient } from '../testing/collab-client';
import { useCollabEnv } from '../testing/collab-env';
import { cellsOf } from './notebook-schema';

const { dirs, clients, startServer } = useCollabEnv();
const FIXTURE = join(import.meta.dirname, '../../testdata/notebooks/nbclient-error.ipynb');

/** A notebook's log as a server before notebook rooms wrote it: the file as one Y.Text. */
async function legacySetup(loggedText: (fileText: string) => string) {
  const root = dirs.make('ws-');
  const file = join(root, 'nb.ipynb');
  await copyFile(FIXTURE, file);
  const fileText = await readFile(file, 'utf8');
  const dbPath = join(dirs.make('db-'), 'collab.db');
  const log = new UpdateLog(dbPath);
  const doc = new Y.Doc();
  doc.getText(TEXT_SOURCE_NAME).insert(0, fileText);
  const seeded = log.append('s1', 'nb.ipynb', Y.encodeStateAsUpdate(doc));
  log.setBase('s1', 'nb.ipynb', {
    baseSeq: seeded,
    extra: null,
    fileHash: createHash('sha256').update(fileText).digest('hex'),
  });
  const text = loggedText(fileText);
  if (text !== fileText) {
    const before = Y.encodeStateVector(doc);
    doc.getText(TEXT_SOURCE_NAME).delete(0, fileText.length);
    doc.getText(TEXT_SOURCE_NAME).insert(0, text);
    log.append('s1', 'nb.ipynb', Y.encodeStateAsUpdate(doc, before));
  }
  log.close();
  const server = await startServer({ dbPath, workspaceRoot: root, writeDebounceMs: 30 });
  const client = connectClient(server.collabUrl('s1'), 'nb.ipynb');
  clients.push(client);
  await waitFor(() => cellsOf(client.doc).length > 0, { what: 'notebook cells' });
  return { file, fileText, client, dbPath };
}

describe('notebooks logged as text before notebook rooms', () => {
  it('are reseeded from the file, which stays as it was', async () => {
    const { file, fileText, client } = await legacySetup((text) => text);
    expect(client.doc.getText(TEXT_SOURCE_NAME).length).toBe(0);
    expect(cellsOf(client.doc).length).toBe(JSON.parse(fileText).cells.length);
    expect(await readFile(file, 'utf8')).toBe(fileText);
  });

  it('keep edits the file never got: the logged text seeds the notebook and is saved', async () => {
    const { file, client } = await legacySetup((text) => text.replace('"0/0"', '"1/0  # unsaved"'));
    const firstSource = () => (cellsOf(client.doc).get(0).get('source') as Y.Text).toString();
    expect(firstSource()).toBe('1/0  # unsaved');
    await waitFor(async () => (await readFile(file, 'utf8')).includes('1/0  # unsaved'), {
      what: 'the save',
    });
  });
});
