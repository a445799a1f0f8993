import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  dockerAvailable,
  launchBrowser,
  openStudio,
  type Person,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
  waitForStudioState,
} from '../src/index';

const NOTEBOOK = 'analysis.ipynb';

const code = (id: string, source: string, outputs: unknown[] = []) => ({
  cell_type: 'code',
  id,
  metadata: {},
  execution_count: null,
  outputs,
  source,
});

/** A plot to run, and what a hostile collaborator saved: script in markdown, HTML and SVG outputs. */
const CONTENT = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    code('plot', '%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([3, 1, 2])\nplt.show()'),
    {
      cell_type: 'markdown',
      id: 'hostile-md',
      metadata: {},
      source:
        '# Notes\n<img src="x" onerror="window.__xss = \'markdown\'"> <a href="javascript:window.__xss=1">link</a>',
    },
    code('hostile-out', 'pass', [
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          'text/html':
            '<b id="inside">html output</b><script>try { window.parent.__xss = "html" } catch (e) {}</script>',
          'image/svg+xml':
            '<svg xmlns="http://www.w3.org/2000/svg" onload="window.parent.__xss=\'svg\'"></svg>',
          'text/plain': 'html output',
        },
      },
    ]),
  ],
});

const cell = (page: Page, cellId: string) =>
  page.locator(`[data-testid="notebook-cell"][data-cell-id="${cellId}"]`);

async function openNotebook(page: Page): Promise<void> {
  await page.getByTestId(`file-${NOTEBOOK}`).click();
  await page.locator(`[data-testid="notebook-${NOTEBOOK}"][data-synced="true"]`).waitFor({ timeout: 30_000 });
}

// Issue #10: notebooks run by a real kernel in the Studio, outputs shared live, untrusted output
// kept out of the IDE's origin.
describe('notebooks', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let studioId = '';
  let ada: Person;
  let bob: Person;
  let cleo: Person;

  beforeAll(async () => {
    // Kernels run inside Studio containers: this spec needs the engine the test command starts.
    expect(dockerAvailable(), 'notebooks need Docker (scripts/test.sh starts it)').toBe(true);
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'docker' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    const editor = await ApiUser.signup(server.url, 'bob@example.com', 'Bob');
    const viewer = await ApiUser.signup(server.url, 'cleo@example.com', 'Cleo');
    studioId = (await owner.createStudio('notebooks')).id;
    await owner.addMember(studioId, editor.user.email, 'editor');
    await owner.addMember(studioId, viewer.user.email, 'viewer');
    await owner.writeFile(studioId, NOTEBOOK, CONTENT);
    [ada, bob, cleo] = await Promise.all([
      signedInPerson(browser, owner),
      signedInPerson(browser, editor),
      signedInPerson(browser, viewer),
    ]);
    const started = await owner.request('POST', `/api/studios/${studioId}/start`);
    expect(started.status).toBeLessThan(300);
    for (const person of [ada, bob, cleo]) {
      await openStudio(person.page, studioId);
      await waitForStudioState(person.page, 'running', 120_000);
      await openNotebook(person.page);
    }
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (owner && studioId) await owner.deleteStudio(studioId);
    },
  );

  it("runs Ada's plot and shows Bob the image and who ran it", async () => {
    await cell(ada.page, 'plot').getByTestId('cell-run-button').click();
    const image = cell(bob.page, 'plot').locator('[data-testid="cell-output"][data-kind="image"] img');
    await image.waitFor({ timeout: 90_000 });
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await cell(bob.page, 'plot')
      .getByTestId('cell-run-info')
      .filter({ hasText: 'ran by Ada' })
      .waitFor({ timeout: 10_000 });
    await cell(cleo.page, 'plot').locator('[data-testid="cell-output"][data-kind="image"]').waitFor();
    await bob.page.locator('[data-testid="kernel-status"][data-status="idle"]').waitFor();
  });

  it('gives a viewer no way to run or change cells', async () => {
    expect(await cleo.page.getByTestId('cell-run-button').count()).toBe(0);
    expect(await cleo.page.getByTestId('notebook-run-all').count()).toBe(0);
    expect(await cleo.page.getByTestId('kernel-restart').count()).toBe(0);
  });

  it('renders hostile markdown and HTML/SVG output without running anything in the IDE', async () => {
    await cell(bob.page, 'hostile-md').getByTestId('cell-markdown').waitFor();
    const frame = cell(bob.page, 'hostile-out').getByTestId('output-frame').first();
    await frame.waitFor();
    // The HTML reached its sandboxed frame and rendered there…
    const inside = bob.page.frameLocator('[data-testid="output-frame"]').first().locator('#inside');
    await inside.waitFor();
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-same-origin');
    // …and nothing it or the markdown carried ran in the IDE's own window.
    expect(await bob.page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await bob.page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0);
  });
});
