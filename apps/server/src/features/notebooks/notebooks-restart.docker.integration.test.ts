import type { Studio } from '@studios/protocol';
import { type TempDir, tempDir, waitFor } from '@studios/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  createStudio,
  type ListeningTestServer,
  signUp,
  startTestServer,
} from '../../testing';
import { LiveDocs } from '../../testing/live-docs';
import { codeCell, resultOf, runOf, uploadNotebook } from '../../testing/notebook-docs';
import { standardFeatures } from '../standard-features';

const NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [codeCell('set', 'x = 41'), codeCell('use', 'x + 1')],
});

// Issue #10: kernels outlive the server; a restarted server reattaches to them, state and all.
describe('a notebook kernel across a server restart (Docker)', { timeout: 180_000 }, () => {
  const data: TempDir = tempDir('studios-restart-');
  const start = () =>
    startTestServer({
      dataDir: data.dir,
      config: { runtime: 'docker', idleMinutes: 0 },
      features: standardFeatures({ collab: { writeDebounceMs: 50 } }),
    });
  let t: ListeningTestServer | undefined;
  let studio: Studio | undefined;

  afterAll(async () => {
    if (t && studio) await t.driver.remove(studio.id);
    await t?.close();
    await t?.driver.dispose();
    data.cleanup();
  });

  it('keeps the kernel and its variables, and counts on', async () => {
    t = await start();
    const ada: Account = await signUp(t);
    studio = await createStudio(t, ada, { name: 'Restart' });
    const studioId = studio.id;
    await callAs(t, ada, 'POST', `/api/studios/${studioId}/start`);
    const first = t;
    await waitFor(async () => (await first.driver.status(studioId)).state === 'running', {
      timeoutMs: 60_000,
    });
    expect(await uploadNotebook(first, ada, studioId, 'nb.ipynb', NOTEBOOK)).toBe(201);
    const run = (server: ListeningTestServer, cellId: string) =>
      callAs(server, ada, 'POST', `/api/studios/${studioId}/notebooks/run`, {
        path: 'nb.ipynb',
        cellIds: [cellId],
      });

    let docs = new LiveDocs(first, ada, studioId);
    let view = docs.open('nb.ipynb');
    expect((await run(first, 'set')).status).toBe(200);
    await waitFor(() => runOf(view.doc, 'set')?.state === 'ok', { timeoutMs: 60_000 });
    docs.dispose();

    // The server stops; the Studio and its kernel keep running.
    await first.close();
    t = await start();
    const second = t;
    docs = new LiveDocs(second, ada, studioId);
    view = docs.open('nb.ipynb');
    expect((await run(second, 'use')).status).toBe(200);
    await waitFor(() => runOf(view.doc, 'use')?.state === 'ok', { timeoutMs: 90_000 });
    // x survived: the same kernel process answered, and its count went on from 1.
    expect(resultOf(view.doc, 'use')).toBe('42');
    expect(runOf(view.doc, 'use')?.executionCount).toBe(2);
    docs.dispose();
  });
});
