import type { Studio } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type Account,
  callAs,
  createStudio,
  type ListeningTestServer,
  signUp,
  startTestServer,
} from '../../testing';
import { type LiveDoc, LiveDocs } from '../../testing/live-docs';
import {
  cellMap,
  codeCell,
  kernelOf,
  outputsOf,
  runOf,
  streamText,
  uploadNotebook,
} from '../../testing/notebook-docs';
import { standardFeatures } from '../standard-features';

const NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    codeCell('hello', 'print("hello")\n1 + 1'),
    codeCell('plot', '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()'),
    codeCell('fail', '1 / 0'),
    codeCell('after', 'print("never")'),
    codeCell('sleep', 'import time\ntime.sleep(60)'),
    codeCell('ask', 'name = input("name? ")\nprint("hi", name)'),
    // The "20-second cell": it streams the whole time every browser is closed.
    codeCell(
      'ticks',
      'import time\nfor i in range(20):\n    print("tick", i, flush=True)\n    time.sleep(1)',
    ),
    { cell_type: 'markdown', id: 'md', metadata: {}, source: '# Title' },
  ],
});

// Issue #10: a real ipykernel in a real Docker Studio, driven over REST, seen through the
// shared document by everyone.
describe('notebooks on a real Studio (Docker)', { timeout: 120_000 }, () => {
  let t: ListeningTestServer;
  let driver: RuntimeDriver;
  let ada: Account;
  let bob: Account;
  let cleo: Account;
  let studio: Studio;
  let bobDocs: LiveDocs;
  let bobView: LiveDoc;

  const run = (who: Account, cellIds: string[]) =>
    callAs(t, who, 'POST', `/api/studios/${studio.id}/notebooks/run`, { path: 'demo.ipynb', cellIds });
  const kernel = (who: Account, action: string) =>
    callAs(t, who, 'POST', `/api/studios/${studio.id}/notebooks/kernel`, { path: 'demo.ipynb', action });

  beforeAll(async () => {
    t = await startTestServer({
      config: { runtime: 'docker', idleMinutes: 0 },
      features: standardFeatures({ collab: { writeDebounceMs: 50 } }),
    });
    driver = t.driver;
    [ada, bob, cleo] = [await signUp(t), await signUp(t), await signUp(t)];
    studio = await createStudio(t, ada, {
      name: 'Notebooks',
      members: [
        [bob, 'editor'],
        [cleo, 'viewer'],
      ],
    });
    const started = await callAs(t, ada, 'POST', `/api/studios/${studio.id}/start`);
    expect(started.status).toBeLessThan(300);
    await waitFor(async () => expect((await driver.status(studio.id)).state).toBe('running'), {
      timeoutMs: 60_000,
    });
    expect(await uploadNotebook(t, ada, studio.id, 'demo.ipynb', NOTEBOOK)).toBe(201);
    bobDocs = new LiveDocs(t, bob, studio.id);
    bobView = bobDocs.open('demo.ipynb');
    await waitFor(() => expect(cellMap(bobView.doc, 'hello')).toBeDefined(), { timeoutMs: 20_000 });
  });

  afterAll(async () => {
    bobDocs?.dispose();
    await t?.close();
    if (studio) await driver.remove(studio.id);
    await driver?.dispose();
  });

  it('lists the Studio kernels', async () => {
    const response = await callAs(t, cleo, 'GET', `/api/studios/${studio.id}/kernelspecs`);
    expect(response.status).toBe(200);
    const list = (await response.json()) as { default: string; kernelspecs: Array<{ name: string }> };
    expect(list.kernelspecs.map((spec) => spec.name)).toContain('python3');
  });

  it('runs cells for one person and shows everyone the outputs, the count and who ran them', async () => {
    const response = await run(ada, ['hello', 'plot', 'md']);
    expect(await response.json()).toEqual({ queued: 2 });
    await waitFor(() => expect(runOf(bobView.doc, 'plot')?.state).toBe('ok'), { timeoutMs: 60_000 });
    expect(streamText(bobView.doc, 'hello')).toBe('hello\n');
    const result = outputsOf(bobView.doc, 'hello').find((output) => output.output_type === 'execute_result');
    expect((result?.data as Record<string, unknown> | undefined)?.['text/plain']).toBe('2');
    const image = outputsOf(bobView.doc, 'plot').find((output) => output.output_type === 'display_data');
    expect(
      String((image?.data as Record<string, unknown> | undefined)?.['image/png']).length,
    ).toBeGreaterThan(1000);
    expect(runOf(bobView.doc, 'hello')).toMatchObject({
      state: 'ok',
      by: { id: ada.user.id },
      executionCount: 1,
    });
    expect(cellMap(bobView.doc, 'hello')?.get('execution_count')).toBe(1);
    expect(kernelOf(bobView.doc)?.status).toBe('idle');
  });

  it('stops the queue at an error and marks the rest cancelled', async () => {
    await run(bob, ['fail', 'after']);
    await waitFor(() => expect(runOf(bobView.doc, 'after')?.state).toBe('cancelled'), { timeoutMs: 30_000 });
    expect(runOf(bobView.doc, 'fail')?.state).toBe('error');
    expect(outputsOf(bobView.doc, 'fail')[0]).toMatchObject({
      output_type: 'error',
      ename: 'ZeroDivisionError',
    });
    expect(outputsOf(bobView.doc, 'after')).toEqual([]);
  });

  it('refuses a viewer’s run and kernel requests', async () => {
    expect((await run(cleo, ['hello'])).status).toBe(403);
    expect((await kernel(cleo, 'restart')).status).toBe(403);
  });

  it('refuses an editor’s forged output and keeps the document as the server wrote it', async () => {
    const forger = new LiveDocs(t, bob, studio.id);
    try {
      const view = forger.open('demo.ipynb');
      await waitFor(() => expect(cellMap(view.doc, 'hello')).toBeDefined());
      const outputs = cellMap(view.doc, 'hello')?.get('outputs') as Y.Array<unknown>;
      const forged = new Y.Map<unknown>();
      forged.set('output_type', 'stream');
      forged.set('name', 'stdout');
      forged.set('text', 'forged');
      outputs.push([forged]);
      await waitFor(() => expect(view.closes).toContain(4403));
      expect(streamText(bobView.doc, 'hello')).toBe('hello\n');
    } finally {
      forger.dispose();
    }
  });

  it('interrupts a long cell within two seconds', async () => {
    await run(ada, ['sleep']);
    await waitFor(() => expect(runOf(bobView.doc, 'sleep')?.state).toBe('running'), { timeoutMs: 30_000 });
    const asked = Date.now();
    expect((await kernel(bob, 'interrupt')).status).toBe(204);
    await waitFor(() => expect(runOf(bobView.doc, 'sleep')?.state).toBe('interrupted'), { timeoutMs: 2_000 });
    expect(Date.now() - asked).toBeLessThan(2_000);
    await waitFor(() =>
      expect(outputsOf(bobView.doc, 'sleep').some((output) => output.ename === 'KeyboardInterrupt')).toBe(
        true,
      ),
    );
  });

  it('sends an input() prompt to the person who ran the cell only', async () => {
    await run(ada, ['ask']);
    await waitFor(() => expect(runOf(bobView.doc, 'ask')?.input?.prompt).toBe('name? '), {
      timeoutMs: 30_000,
    });
    const runId = runOf(bobView.doc, 'ask')?.runId;
    const answer = (who: Account) =>
      callAs(t, who, 'POST', `/api/studios/${studio.id}/notebooks/input`, {
        path: 'demo.ipynb',
        cellId: 'ask',
        runId,
        value: 'Ada',
      });
    expect((await answer(bob)).status).toBe(403);
    expect((await answer(ada)).status).toBe(204);
    await waitFor(() => expect(runOf(bobView.doc, 'ask')?.state).toBe('ok'), { timeoutMs: 10_000 });
    expect(streamText(bobView.doc, 'ask')).toContain('hi Ada');
  });

  it('keeps a cell writing while every browser is closed, and shows it all on reopening', async () => {
    await run(ada, ['ticks']);
    await waitFor(() => expect(streamText(bobView.doc, 'ticks')).toContain('tick 0'), { timeoutMs: 30_000 });
    bobDocs.dispose();
    await waitFor(
      async () => {
        const response = await callAs(
          t,
          ada,
          'GET',
          `/api/studios/${studio.id}/files/content?path=demo.ipynb`,
        );
        expect(await response.text()).toContain('tick 19');
        return true;
      },
      { timeoutMs: 60_000 },
    );
    bobDocs = new LiveDocs(t, bob, studio.id);
    bobView = bobDocs.open('demo.ipynb');
    await waitFor(() => expect(runOf(bobView.doc, 'ticks')?.state).toBe('ok'), { timeoutMs: 20_000 });
    expect(streamText(bobView.doc, 'ticks')).toBe(
      Array.from({ length: 20 }, (_, i) => `tick ${i}\n`).join(''),
    );
  });

  it('merges a notebook changed on disk into the live document, cell by cell', async () => {
    const before = streamText(bobView.doc, 'hello');
    // As `git pull` would: the saved file with one cell changed.
    const saved = await callAs(t, ada, 'GET', `/api/studios/${studio.id}/files/content?path=demo.ipynb`);
    const onDisk = JSON.parse(await saved.text()) as {
      cells: Array<{ id: string; source: string | string[] }>;
    };
    const markdown = onDisk.cells.find((cell) => cell.id === 'md');
    if (markdown) markdown.source = '# Title, pulled from git';
    expect(await uploadNotebook(t, ada, studio.id, 'demo.ipynb', JSON.stringify(onDisk))).toBe(201);
    await waitFor(
      () => expect(String(cellMap(bobView.doc, 'md')?.get('source'))).toBe('# Title, pulled from git'),
      {
        timeoutMs: 20_000,
      },
    );
    // What the file did not change (outputs the server wrote) stays as it was.
    expect(streamText(bobView.doc, 'hello')).toBe(before);
  });

  it('restarts the kernel, and the count starts over', async () => {
    expect((await kernel(ada, 'restart')).status).toBe(204);
    await waitFor(() => expect(kernelOf(bobView.doc)?.status).toBe('idle'), { timeoutMs: 60_000 });
    await run(ada, ['hello']);
    await waitFor(
      () => expect(runOf(bobView.doc, 'hello')).toMatchObject({ state: 'ok', executionCount: 1 }),
      {
        timeoutMs: 30_000,
      },
    );
  });

  it('shuts the kernel down and says so', async () => {
    expect((await kernel(ada, 'shutdown')).status).toBe(204);
    await waitFor(() => expect(kernelOf(bobView.doc)?.status).toBe('none'), { timeoutMs: 30_000 });
    expect((await kernel(ada, 'interrupt')).status).toBe(409);
  });
});
