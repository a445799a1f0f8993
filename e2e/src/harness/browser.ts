import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createBrowserNetwork } from './browser-network';

/** Flags Chromium needs on a closed network (see ../shared/docs/environment.md). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  readonly browser: Browser;
  /** A fresh, isolated context (its own cookies): one per simulated person. */
  newUser(baseURL: string): Promise<{ context: BrowserContext; page: Page }>;
  /** Failed requests and console errors of a context's pages, for failure reports. */
  problems(context: BrowserContext): readonly string[];
  close(): Promise<void>;
}

/**
 * Starts Chromium in its own network (see browser-network.ts): servers of this host are reached
 * through `newUser(baseURL)`, which makes the base URL's port reachable there.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  // Chromium's temp folders go under one folder of this run, removed on close.
  const tempRoot = mkdtempSync(join(tmpdir(), 'studios-chromium-'));
  mkdirSync(tempRoot, { recursive: true });
  const network = await createBrowserNetwork(process.env.STUDIOS_CHROMIUM ?? '/usr/bin/chromium', tempRoot);
  const browser = await chromium
    .launch({
      executablePath: network.chromiumPath,
      args: CHROMIUM_ARGS,
      env: { ...process.env, TMPDIR: tempRoot },
    })
    .catch(async (error: unknown) => {
      await network.close();
      throw error;
    });
  const problems = new WeakMap<BrowserContext, string[]>();
  return {
    browser,
    async newUser(baseURL) {
      await network.expose(Number(new URL(baseURL).port));
      const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
      const log: string[] = [];
      problems.set(context, log);
      const at = () => new Date().toISOString().slice(11, 23);
      context.on('requestfailed', (request) => {
        const why = request.failure()?.errorText ?? '';
        log.push(`${at()} request failed: ${request.method()} ${request.url()} ${why}`);
        // The isolated browser network exists so that this never happens: say so if it does.
        if (why.includes('ERR_NETWORK_CHANGED')) console.warn(`e2e: ${request.url()} failed with ${why}`);
      });
      context.on('console', (message) => {
        if (message.type() === 'error') log.push(`${at()} console error: ${message.text()}`);
      });
      context.on('weberror', (error) => log.push(`${at()} page error: ${error.error().message}`));
      const page = await context.newPage();
      return { context, page };
    },
    problems: (context) => problems.get(context) ?? [],
    async close() {
      await browser.close();
      await network.close();
      rmSync(tempRoot, { recursive: true, force: true });
    },
  };
}
