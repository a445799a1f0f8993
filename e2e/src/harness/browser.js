import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

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
export async function launchBrowser() {
  // Chromium's temp folders go under one folder of this run, removed on close.
  const tempRoot = mkdtempSync(join(tmpdir(), 'studios-chromium-'));
  mkdirSync(tempRoot, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.STUDIOS_CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    env: { ...process.env, TMPDIR: tempRoot },
  });
  return {
    browser,
    async newUser(baseURL) {
      const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
      rmSync(tempRoot, { recursive: true, force: true });
    },
  };
}
