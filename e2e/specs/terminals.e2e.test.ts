import { waitFor } from '@studios/testkit';
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
  terminalRows,
  waitForStudioState,
  waitForTerminalRow,
} from '../src/index';

/** The ids of the terminal tabs the page shows, in order. */
function terminalTabIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="terminal-tab-"]')
    .evaluateAll((tabs) =>
      tabs.map((tab) => (tab.getAttribute('data-testid') ?? '').replace('terminal-tab-', '')),
    );
}

/** Focuses the terminal's screen (xterm's hidden textarea) and types a command line. */
async function runInTerminal(page: Page, terminalId: string, command: string): Promise<void> {
  await page.getByTestId(`terminal-${terminalId}`).click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Waits for a row that is exactly `text`: the command's output, not the line that typed it. */
function waitForOutput(page: Page, terminalId: string, text: string, who: string): Promise<void> {
  return waitForTerminalRow(page, terminalId, (row) => row.trim() === text, `${who} to see "${text}"`);
}

// Issue #5: terminals are shared sessions: everyone sees the same shell; viewers only watch.
describe('shared terminals', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let studioId = '';
  let terminalId = '';
  let ada: Person;
  let bob: Person;
  let cleo: Person;

  beforeAll(async () => {
    // Real containers where the engine runs (CI sets it up); local shells otherwise.
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: dockerAvailable() ? 'docker' : 'local' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    const editor = await ApiUser.signup(server.url, 'bob@example.com', 'Bob');
    const viewer = await ApiUser.signup(server.url, 'cleo@example.com', 'Cleo');
    studioId = (await owner.createStudio('terminals')).id;
    await owner.addMember(studioId, editor.user.email, 'editor');
    await owner.addMember(studioId, viewer.user.email, 'viewer');
    [ada, bob, cleo] = await Promise.all([
      signedInPerson(browser, owner),
      signedInPerson(browser, editor),
      signedInPerson(browser, viewer),
    ]);
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (owner && studioId) await owner.deleteStudio(studioId);
    },
  );

  it('opens a terminal and runs a command in it', async () => {
    await openStudio(ada.page, studioId);
    await waitForStudioState(ada.page, 'running');
    await ada.page.getByTestId('new-terminal').click();
    const tab = ada.page.locator('[data-testid^="terminal-tab-"]');
    await tab.waitFor();
    terminalId = ((await tab.getAttribute('data-testid')) ?? '').replace('terminal-tab-', '');
    expect(terminalId).not.toBe('');

    await runInTerminal(ada.page, terminalId, 'echo hi-from-a');
    await waitForOutput(ada.page, terminalId, 'hi-from-a', 'Ada');
  });

  it('shows the same session to a second editor, who can type in it too', async () => {
    await openStudio(bob.page, studioId);
    await bob.page.getByTestId(`terminal-tab-${terminalId}`).click();
    await waitForOutput(bob.page, terminalId, 'hi-from-a', 'Bob');

    await runInTerminal(bob.page, terminalId, 'echo hi-from-b');
    await waitForOutput(ada.page, terminalId, 'hi-from-b', 'Ada');
  });

  it('keeps the scrollback across a reload', async () => {
    await bob.page.reload();
    await bob.page.getByTestId(`terminal-tab-${terminalId}`).click();
    await waitForOutput(bob.page, terminalId, 'hi-from-a', 'Bob after reloading');
    await waitForOutput(bob.page, terminalId, 'hi-from-b', 'Bob after reloading');
  });

  it("lets a viewer watch but never delivers the viewer's keystrokes to the shell", async () => {
    await openStudio(cleo.page, studioId);
    await cleo.page.getByTestId(`terminal-tab-${terminalId}`).click();
    await waitForOutput(cleo.page, terminalId, 'hi-from-a', 'Cleo');

    await runInTerminal(cleo.page, terminalId, 'echo from-viewer');
    // Ada's next command is sent after Cleo's keys: once its output is everywhere, the
    // viewer's keys would have shown up before it if the shell had got them.
    await runInTerminal(ada.page, terminalId, 'echo after-viewer');
    await waitForOutput(ada.page, terminalId, 'after-viewer', 'Ada');
    await waitForOutput(cleo.page, terminalId, 'after-viewer', 'Cleo');
    for (const page of [ada.page, bob.page, cleo.page]) {
      expect((await terminalRows(page, terminalId)).join('\n')).not.toContain('from-viewer');
    }
  });

  it('shows terminals that others open, rename and close on an already open page, live', async () => {
    // Bob's page has been open since before this terminal exists; he never reloads below.
    expect(await terminalTabIds(bob.page)).toEqual([terminalId]);
    await ada.page.getByTestId('new-terminal').click();
    const [opened] = await waitFor(
      async () => {
        const fresh = (await terminalTabIds(ada.page)).filter((id) => id !== terminalId);
        return fresh.length > 0 ? fresh : undefined;
      },
      { timeoutMs: 15_000, what: "Ada's new terminal tab" },
    );
    if (!opened) throw new Error('no new terminal');
    const bobsTab = bob.page.getByTestId(`terminal-tab-${opened}`);
    await bobsTab.waitFor();
    // Ada's page attached to the new terminal: her chip shows on Bob's tab.
    await bobsTab.getByRole('img', { name: 'Ada' }).waitFor();

    await ada.page.getByTestId(`terminal-tab-${opened}`).dblclick();
    const name = ada.page.getByRole('textbox', { name: 'Terminal name' });
    await name.fill('watch');
    await name.press('Enter');
    await bobsTab.getByText('watch', { exact: true }).waitFor();

    await ada.page.getByTestId(`terminal-tab-${opened}`).hover();
    await ada.page.getByTestId(`terminal-tab-${opened}`).locator('.ui-tab__close').click();
    await ada.page.getByRole('button', { name: 'Close terminal', exact: true }).click();
    await bobsTab.waitFor({ state: 'detached' });
    expect(await terminalTabIds(bob.page)).toEqual([terminalId]);
    expect(await terminalTabIds(ada.page)).toEqual([terminalId]);
  });
});
