import type { BrowserContext, Request, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  launchBrowser,
  openStudio,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
} from '../src/index';

/** The files of a lazily loaded part of the app, from the build's manifest (names carry hashes). */
async function chunkOf(serverUrl: string, module: string): Promise<{ js: RegExp; css: RegExp }> {
  const manifest = (await (await fetch(`${serverUrl}/asset-manifest.json`)).json()) as Record<
    string,
    { file: string; css?: string[] }
  >;
  const chunk = manifest[module];
  if (!chunk?.css?.[0]) throw new Error(`the build manifest has no chunk with CSS for ${module}`);
  const exact = (file: string) => new RegExp(`^/${file.replace(/[.$]/g, '\\$&')}$`);
  return { js: exact(chunk.file), css: exact(chunk.css[0]) };
}

/** Which requests to break, and how often each was broken: proof that the failure happened. */
class NetworkFaults {
  readonly broken = new Map<string, number>();

  constructor(private readonly context: BrowserContext) {}

  /**
   * Fails the first `times` requests whose URL path matches `path` as a dropped connection does
   * (Chromium's ERR_NETWORK_CHANGED has no Playwright equivalent; both end a request with no
   * answer), or answers them 404 as a server does for a chunk a deploy removed.
   */
  async fail(label: string, path: RegExp, times: number, how: 'drop' | 'gone' = 'drop'): Promise<void> {
    await this.context.route(
      (url) => path.test(url.pathname),
      async (route: Route, request: Request) => {
        const count = this.broken.get(label) ?? 0;
        if (count >= times || (request.method() !== 'GET' && request.method() !== 'HEAD')) {
          return route.fallback();
        }
        this.broken.set(label, count + 1);
        if (how === 'gone') return route.fulfill({ status: 404, body: 'Not found' });
        return route.abort('internetdisconnected');
      },
    );
  }
}

// Issue #15: a user whose network changes while Studios loads (Wi-Fi, VPN, Docker on the same
// laptop) or who keeps a tab open across a deploy gets a working page or a clear prompt, never
// a blank or half-rendered one.
describe('recovery from network failures', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let studioId = '';
  let studioPage: { js: RegExp; css: RegExp };
  let terminals: { js: RegExp; css: RegExp };

  beforeAll(async () => {
    // The page is what is under test: the local runtime keeps this spec free of containers.
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    studioId = (await owner.createStudio('flaky network')).id;
    studioPage = await chunkOf(server.url, 'src/features/studio-shell/StudioPage.tsx');
    terminals = await chunkOf(server.url, 'src/features/terminal/index.ts');
  });

  tearDownSpec(
    () => browser,
    () => server,
  );

  it('loads the Studio page when its chunks, stylesheet and reads fail once', async () => {
    const { context, page } = await signedInPerson(browser, owner);
    const faults = new NetworkFaults(context);
    await faults.fail('studio page chunk', studioPage.js, 1);
    await faults.fail('terminal chunk', terminals.js, 1);
    await faults.fail('terminal stylesheet', terminals.css, 1);
    await faults.fail('file list', new RegExp(`/api/studios/${studioId}/files$`), 1);
    await faults.fail('machine types', /\/api\/machine-types$/, 1);

    await openStudio(page, studioId);

    expect(Object.fromEntries(faults.broken)).toEqual({
      'studio page chunk': 1,
      'terminal chunk': 1,
      'terminal stylesheet': 1,
      'file list': 1,
      'machine types': 1,
    });
    // The retried stylesheet applies: the terminal panel is laid out by its own CSS.
    await expect
      .poll(() => page.getByTestId('terminal-panel').evaluate((panel) => getComputedStyle(panel).display))
      .toBe('flex');
    await page.getByTestId('new-terminal').waitFor();
    expect(await page.getByTestId('load-failure').count()).toBe(0);
    expect(await page.getByTestId('asset-problem').count()).toBe(0);
    await context.close();
  });

  it('offers Try again when a chunk cannot be downloaded at all, and loads it once the network is back', async () => {
    const { context, page } = await signedInPerson(browser, owner);
    const faults = new NetworkFaults(context);
    // More failures than the page retries on its own (four tries).
    await faults.fail('terminal chunk', terminals.js, 4);

    await page.goto(`/studios/${studioId}`);
    const failure = page.getByTestId('load-failure');
    await failure.getByText('Could not load the terminals').waitFor({ timeout: 30_000 });
    // The rest of the Studio keeps working beside the broken part.
    await page.getByRole('tree', { name: 'Workspace files' }).waitFor();

    await failure.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('terminal-panel').waitFor();
    expect(faults.broken.get('terminal chunk')).toBe(4);
    await context.close();
  });

  it('says Studios was updated when a chunk is gone from the server', async () => {
    const { context, page } = await signedInPerson(browser, owner);
    const faults = new NetworkFaults(context);
    await faults.fail('terminal chunk', terminals.js, 100, 'gone');

    await page.goto(`/studios/${studioId}`);
    const failure = page.getByTestId('load-failure');
    await failure.getByText('Studios was updated').waitFor({ timeout: 30_000 });
    await failure.getByRole('button', { name: 'Reload' }).waitFor();
    await page.getByRole('tree', { name: 'Workspace files' }).waitFor();
    await context.close();
  });
});
