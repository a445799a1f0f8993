import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { TestBrowser } from './browser';
import type { StudiosServer } from './studios-server';

const RESULTS_DIR = resolve(import.meta.dirname, '../../test-results');

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/**
 * After each failed test of the calling spec, saves what every open page showed (a screenshot
 * and its text) and the server's output under e2e/test-results/<test>/, so a red CI run can be
 * understood without running it again.
 */
export function keepFailureArtifacts(
  browser: () => TestBrowser | undefined,
  server: () => StudiosServer | undefined,
): void {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    const dir = join(RESULTS_DIR, slug(`${task.suite?.name ?? ''} ${task.name}`));
    mkdirSync(dir, { recursive: true });
    const testBrowser = browser();
    const contexts = testBrowser?.browser.contexts() ?? [];
    for (const [index, context] of contexts.entries()) {
      const page = context.pages()[0];
      if (!page) continue;
      const who = `person-${index + 1}`;
      writeFileSync(join(dir, `${who}.problems.txt`), testBrowser?.problems(context).join('\n') ?? '');
      await page.screenshot({ path: join(dir, `${who}.png`) }).catch(() => {});
      // What is on screen as roles and names: readable, and what the specs' locators match.
      const text = await page
        .locator('body')
        .ariaSnapshot({ timeout: 5_000 })
        .catch((error: unknown) => String(error));
      writeFileSync(join(dir, `${who}.txt`), `${page.url()}\n\n${text}`);
    }
    writeFileSync(join(dir, 'server.log'), server()?.output() ?? '');
    console.error(`failure artifacts: ${dir}`);
  });
}

/**
 * The life cycle every spec shares: failure artifacts after each test ({@link keepFailureArtifacts}),
 * then after all tests `cleanUp` (the spec's own data, e.g. its Studio), closing the browser and
 * stopping the server. Either may be unset when `beforeAll` failed.
 */
export function tearDownSpec(
  browser: () => TestBrowser | undefined,
  server: () => StudiosServer | undefined,
  cleanUp?: () => Promise<void>,
): void {
  keepFailureArtifacts(browser, server);
  afterAll(async () => {
    await cleanUp?.();
    await browser()?.close();
    await server()?.stop();
  });
}
