import { waitFor } from '@studios/testkit';
import type { BrowserContext, Page } from 'playwright-core';
import type { ApiUser } from './api';
import type { TestBrowser } from './browser';

/** One simulated person: their own browser context, signed in with an API user's cookie. */
export interface Person {
  readonly api: ApiUser;
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Opens a context for `api`'s user, already signed in (the login form is tested on its own). */
export async function signedInPerson(browser: TestBrowser, api: ApiUser): Promise<Person> {
  const { context, page } = await browser.newUser(api.baseUrl);
  await context.addCookies([api.browserCookie()]);
  return { api, context, page };
}

/** Goes to the Studio page and waits until its shell (header, explorer, terminals) is on screen. */
export async function openStudio(page: Page, studioId: string): Promise<void> {
  await page.goto(`/studios/${studioId}`);
  await page.getByTestId('studio-name').waitFor();
  await page.getByRole('tree', { name: 'Workspace files' }).waitFor();
  await page.getByTestId('terminal-panel').waitFor();
}

/** Waits for the Studio's state badge to read `state` (`running`, `stopped`, ...). */
export async function waitForStudioState(page: Page, state: string, timeoutMs = 60_000): Promise<void> {
  await page.locator(`[data-testid="studio-state"][data-state="${state}"]`).waitFor({ timeout: timeoutMs });
}

/** Clicks a file in the explorer and waits until its live editor has synced with the server. */
export async function openFileInEditor(page: Page, path: string): Promise<void> {
  await page.getByTestId(`file-${path}`).click();
  await page.locator(`[data-testid="editor-${path}"][data-synced="true"]`).waitFor();
}

/**
 * The text Monaco shows for `path`, one line per rendered view line. Monaco renders spaces as
 * U+00A0 and only the lines in view, which is all of them for the short files of these specs.
 */
export async function editorText(page: Page, path: string): Promise<string> {
  return page.getByTestId(`editor-${path}`).evaluate((surface) => {
    const lines = Array.from(surface.querySelectorAll<HTMLElement>('.view-lines .view-line'));
    // View lines are absolutely positioned and not in document order: sort by their top.
    lines.sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** Waits until the editor of `path` shows exactly `expected`. */
export async function waitForEditorText(page: Page, path: string, expected: string): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = await editorText(page, path);
      return last === expected;
    },
    { timeoutMs: 15_000, what: `editor ${path} to show ${JSON.stringify(expected)}` },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last text ${JSON.stringify(last)}`);
  });
}

/** Focuses the editor of `path`, moves to the end of the document and types `text`. */
export async function typeAtEnd(page: Page, path: string, text: string): Promise<void> {
  await page.getByTestId(`editor-${path}`).locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** The names shown on remote carets in `path`'s editor (y-monaco heads, labelled by our CSS). */
export async function remoteCursorLabels(page: Page, path: string): Promise<string[]> {
  return page.getByTestId(`editor-${path}`).evaluate((surface) =>
    Array.from(surface.querySelectorAll('.yRemoteSelectionHead')).map((head) =>
      // The label is the ::after content, a CSS string such as "Bob".
      getComputedStyle(head, '::after').content.replace(/^"|"$/g, ''),
    ),
  );
}

/** The rows of an xterm.js terminal as plain text, trailing blanks trimmed. */
export async function terminalRows(page: Page, terminalId: string): Promise<string[]> {
  return page
    .getByTestId(`terminal-${terminalId}`)
    .locator('.xterm-rows')
    .evaluate((rows) =>
      Array.from(rows.children).map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()),
    );
}

/** Waits until some row of the terminal satisfies `match`. */
export async function waitForTerminalRow(
  page: Page,
  terminalId: string,
  match: (row: string) => boolean,
  what: string,
): Promise<void> {
  let rows: string[] = [];
  await waitFor(
    async () => {
      rows = await terminalRows(page, terminalId);
      return rows.some(match);
    },
    { timeoutMs: 20_000, what },
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\nterminal rows:\n${rows.join('\n')}`);
  });
}

declare global {
  interface Window {
    /** Every value the Studio state badge took, in order (see `recordStudioStates`). */
    __studioStates?: string[];
  }
}

/**
 * Records every value the `studio-state` badge takes from the next page load on, so short
 * states such as `starting` are seen even when they last less than a poll interval.
 */
export async function recordStudioStates(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const states: string[] = [];
    window.__studioStates = states;
    const record = () => {
      const state = document.querySelector('[data-testid="studio-state"]')?.getAttribute('data-state');
      if (state && states[states.length - 1] !== state) states.push(state);
    };
    new MutationObserver(record).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

/** The states recorded since the page loaded (see `recordStudioStates`). */
export async function recordedStudioStates(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__studioStates ?? []);
}
