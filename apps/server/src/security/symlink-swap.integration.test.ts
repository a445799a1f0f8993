import type { Studio } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentsFeature } from '../features/agents';
import { collabFeature } from '../features/collab';
import { runtimeFeature } from '../features/runtime';
import {
  type Account,
  callAs,
  captureLogger,
  createStudio,
  type ListeningTestServer,
  signUp,
} from '../testing';
import { CANARY_SECRET, type CanarySnapshot, hostCanary } from '../testing/host-canary';
import { LiveDocs } from '../testing/live-docs';
import { runInStudio, startInStudio } from '../testing/studio-shell';
import { startTestServer } from '../testing/test-server';

// The TOCTOU row of security.md, on the real Docker runtime: from a terminal inside the Studio
// (an exec as its user), a folder and a file are swapped for links to a canary on the host, by
// its host path, before and after a document opened and continuously during read, upload,
// create, move, delete and saves. The host canary is never read into a response or a document,
// never written, created in, removed or chowned: file I/O happens inside the Studio, where the
// host path does not exist.
describe('symlink swaps from inside a real Studio (Docker)', { timeout: 240_000 }, () => {
  let t: ListeningTestServer;
  let alice: Account;
  let studio: Studio;
  let canary: ReturnType<typeof hostCanary>;
  let pristine: CanarySnapshot;
  let docs: LiveDocs;
  const logs = captureLogger();

  const api = (method: string, rest: string, body?: unknown) =>
    callAs(t, alice, method, `/api/studios/${studio.id}${rest}`, body);
  const sh = async (script: string) => {
    const { code, output } = await runInStudio(t.driver, studio.id, `cd /workspace && ${script}`);
    if (code !== 0) throw new Error(`in the Studio: ${script} → ${code}: ${output}`);
    return output;
  };
  /** Every response body of the test, to prove the canary never left through one. */
  const bodies: string[] = [];
  const text = async (response: Response) => {
    const body = await response.text();
    bodies.push(body);
    return body;
  };
  const upload = (path: string, content: string) =>
    t.request(`/api/studios/${studio.id}/files/content?path=${encodeURIComponent(path)}`, {
      method: 'PUT',
      headers: { cookie: alice.cookie, origin: t.origin, 'content-type': 'application/octet-stream' },
      body: content,
    });
  const download = (path: string) => api('GET', `/files/content?path=${encodeURIComponent(path)}`);

  beforeAll(async () => {
    canary = hostCanary();
    pristine = canary.snapshot();
    t = await startTestServer({
      features: [runtimeFeature(), agentsFeature(), collabFeature({ writeDebounceMs: 50 })],
      // As main.ts configures a root server: workspaces belong to the Studio user (uid 1000).
      config: {
        runtime: 'docker',
        workspaceOwner: process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : undefined,
      },
      log: logs.log,
    });
    alice = await signUp(t);
    studio = await createStudio(t, alice, { name: 'Swaps' });
    docs = new LiveDocs(t, alice, studio.id);
    expect((await api('POST', '/start')).status).toBe(202);
    await waitFor(async () => (await t.driver.status(studio.id)).state === 'running', {
      timeoutMs: 90_000,
      what: 'the Studio running',
    });
    // The first files request starts the agent inside the Studio (and owns the workspace for it).
    expect((await api('GET', '/files')).status).toBe(200);
    await sh('echo ready');
  });

  afterEach(() => {
    expect(canary.snapshot()).toEqual(pristine);
    expect(bodies.filter((body) => body.includes(CANARY_SECRET))).toEqual([]);
    expect(docs.texts().filter((value) => value.includes(CANARY_SECRET))).toEqual([]);
  });

  afterAll(async () => {
    docs?.dispose();
    // Deleting the Studio removes its container; should that fail, the driver removes it.
    if (studio) await api('DELETE', '').catch(() => {});
    if (studio) await t.driver.remove(studio.id).catch(() => {});
    await t?.close();
    canary?.cleanup();
  });

  it('direct links to host paths read as what they are inside the Studio: missing, or its own file', async () => {
    const c = canary.dir;
    await sh(`ln -s ${c}/canary.txt host-file && ln -s ${c} host-dir && ln -s /etc/hostname own-file`);
    // Inside the Studio the host's path does not exist.
    expect(await sh(`cat host-file 2>&1 || true; ls ${c} 2>&1 || true`)).toMatch(/No such file/);
    for (const path of ['host-file', 'host-dir/canary.txt', 'host-dir/sub/inner.txt', 'own-file']) {
      const response = await download(path);
      await text(response);
      expect([403, 404], path).toContain(response.status);
    }
    const listing = JSON.parse(await text(await api('GET', '/files'))) as {
      entries: { path: string; kind: string }[];
    };
    expect(
      listing.entries.filter((entry) => entry.path.startsWith('host-') || entry.path === 'own-file'),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'host-file', kind: 'symlink' }),
        expect.objectContaining({ path: 'host-dir', kind: 'symlink' }),
      ]),
    );
    for (const response of [
      await upload('host-file', 'pwned'),
      await upload('host-dir/new.txt', 'pwned'),
      await upload('host-dir/canary.txt', 'pwned'),
      await api('POST', '/files', { path: 'host-dir/created.txt', kind: 'file' }),
      await api('POST', '/files', { path: 'host-dir/sub/deeper', kind: 'directory' }),
      await api('DELETE', '/files?path=host-dir%2Fcanary.txt'),
      await api('DELETE', '/files?path=host-dir%2Fsub'),
    ]) {
      await text(response);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    await sh('echo moved > to-move.txt');
    const moved = await api('POST', '/files/move', { from: 'to-move.txt', to: 'host-dir/moved.txt' });
    await text(moved);
    expect(moved.status).toBeGreaterThanOrEqual(400);
    // A live document on a link to the host: never loaded with the host's content, never saved there.
    const linked = docs.open('host-file');
    linked.text.insert(0, 'typed into a link\n');
    await waitFor(() => linked.closes.length > 0, { timeoutMs: 10_000, what: 'the link document refused' });
    // A link that points outside is refused for every operation, its own removal included (the
    // path-traversal policy); the link stays, and nothing it points at was touched.
    expect((await api('DELETE', '/files?path=host-dir')).status).toBe(403);
    expect(await sh('test -L host-dir && echo still-a-link')).toContain('still-a-link');
  });

  it('a folder and a file swapped for host links before and after their documents opened', async () => {
    const c = canary.dir;
    await sh(`mkdir -p notes && printf '# Notes\\n' > notes/doc.md && printf '# Solo\\n' > solo.md`);
    // Before opening: the folder of a document-to-be is already a link.
    await sh(`mkdir -p early && mv early early.real && ln -s ${c} early`);
    const early = docs.open('early/canary.txt');
    await waitFor(() => early.closes.length > 0 || early.provider.synced, {
      what: 'the early document answered',
    });
    expect(early.text.toString()).toBe('');

    const doc = docs.open('notes/doc.md');
    const solo = docs.open('solo.md');
    await waitFor(() => doc.text.toString() === '# Notes\n' && solo.text.toString() === '# Solo\n', {
      timeoutMs: 20_000,
      what: 'both documents loaded',
    });
    // After opening: the folder and the file become links to the host canary.
    await sh(
      `mv notes notes.real && ln -s ${c} notes && mv solo.md solo.real && ln -s ${c}/canary.txt solo.md`,
    );
    const failedSaves = () => logs.lines.filter((line) => line.includes('document file sync failed')).length;
    const failedBefore = failedSaves();
    doc.text.insert(doc.text.length, 'typed after the swap\n');
    solo.text.insert(solo.text.length, 'typed after the swap\n');
    // The saves are tried (and refused inside the Studio) several times while the links stand.
    await waitFor(() => failedSaves() >= failedBefore + 4, { timeoutMs: 20_000, what: 'saves refused' });
    expect(canary.snapshot()).toEqual(pristine);
    expect(doc.text.toString()).toBe('# Notes\ntyped after the swap\n');
    // The links go, the real ones come back: the pending edits land where they belong.
    await sh('rm notes solo.md && mv notes.real notes && mv solo.real solo.md');
    await waitFor(
      async () =>
        (await sh('cat notes/doc.md solo.md')) ===
        '# Notes\ntyped after the swap\n# Solo\ntyped after the swap\n',
      {
        timeoutMs: 20_000,
        what: 'the edits saved into the real files',
      },
    );
  });

  it('a folder and a file swapped continuously during read, upload, create, move, delete and saves', async () => {
    const c = canary.dir;
    await sh(
      `mkdir -p live && echo inside > live/inner.txt && echo one > one.txt && printf '# Live\\n' > live/doc.md`,
    );
    const doc = docs.open('live/doc.md');
    await waitFor(() => doc.text.toString() === '# Live\n', { timeoutMs: 20_000, what: 'the live document' });
    const swapper = await startInStudio(
      t.driver,
      studio.id,
      // Each state (links, real ones) stands for ~10 ms, so requests meet both and the moments between.
      `cd /workspace && while [ ! -e .stop ]; do
         mv -T live live.real 2>/dev/null; ln -sfn ${c} live
         mv -T one.txt one.real 2>/dev/null; ln -sfn ${c}/canary.txt one.txt
         sleep 0.01
         rm -f live; mv -T live.real live 2>/dev/null
         rm -f one.txt; mv -T one.real one.txt 2>/dev/null
         sleep 0.01
       done`,
    );
    const statuses: number[] = [];
    try {
      for (let round = 0; round < 40; round++) {
        doc.text.insert(doc.text.length, `round ${round}\n`);
        const responses = await Promise.all([
          download('live/inner.txt'),
          download('one.txt'),
          upload(`live/up-${round}.txt`, `upload ${round}`),
          upload('one.txt', `one ${round}\n`),
          api('POST', '/files', { path: `live/new-${round}`, kind: 'directory' }),
          api('POST', '/files/move', { from: 'live/inner.txt', to: `live/inner-${round}.txt` }),
          api('DELETE', `/files?path=${encodeURIComponent(`live/up-${round - 1}.txt`)}`),
        ]);
        for (const response of responses) {
          statuses.push(response.status);
          const body = await text(response);
          if (response.status === 200 && response.url.includes('content'))
            expect(body).not.toContain(CANARY_SECRET);
        }
        await sh(
          `[ -e live.real/inner-${round}.txt ] && mv live.real/inner-${round}.txt live.real/inner.txt; [ -e live/inner-${round}.txt ] && mv live/inner-${round}.txt live/inner.txt; true`,
        );
      }
    } finally {
      await sh('touch .stop');
      await swapper.exit;
      swapper.dispose();
    }
    // Requests met the real entries (2xx) and the links (403 path_outside_workspace); errors were
    // the named kind (4xx), never a server failure.
    expect(statuses.some((status) => status < 300)).toBe(true);
    expect(statuses).toContain(403);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    // Nothing was created at the host's path inside the Studio either.
    expect(await sh(`test ! -e ${c} && echo absent`)).toContain('absent');
  });
});
