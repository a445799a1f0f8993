import { ErrorCode } from '@studios/protocol';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  launchBrowser,
  type StudiosServer,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
  waitForStudioState,
} from '../src/index';

// Issue #2: accounts, the dashboard, Studio creation, invitations and what a viewer may do.
describe('sign up, create a Studio, invite a viewer', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser | undefined;
  let studioId = '';
  const ownerEmail = 'ada@example.com';
  const password = 'correct horse battery';
  const studioName = 'analytics';

  beforeAll(async () => {
    // The runtime is not under test here; local processes keep the flow light.
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local' }),
      launchBrowser(),
    ]);
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (owner && studioId) await owner.deleteStudio(studioId);
    },
  );

  async function fillAuthForm(page: Page, fields: { name?: string; email: string; password: string }) {
    if (fields.name !== undefined) await page.getByLabel('Name').fill(fields.name);
    await page.getByLabel('Email').fill(fields.email);
    await page.getByLabel('Password').fill(fields.password);
  }

  it('signs up, creates a Studio in the dialog, lists it and opens its shell', async () => {
    const { page } = await browser.newUser(server.url);
    await page.goto('/signup');
    await fillAuthForm(page, { name: 'Ada Lovelace', email: ownerEmail, password });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('No Studios yet').waitFor();

    await page.getByRole('button', { name: 'New Studio' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New Studio' });
    await dialog.getByLabel('Name').fill(studioName);
    await dialog.getByRole('button', { name: 'Create Studio' }).click();
    // Creating opens the new Studio.
    await page.waitForURL(/\/studios\/[a-z0-9]+$/);
    studioId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByTestId('studio-name').filter({ hasText: studioName }).waitFor();

    await page.getByTitle('All Studios').click();
    const row = page.getByTestId(`studio-row-${studioId}`);
    await row.getByRole('link', { name: studioName }).waitFor();
    await expect.poll(() => row.getByText('Owner').count()).toBe(1);

    await row.getByRole('button', { name: `Open ${studioName}` }).click();
    await page.getByTestId('studio-name').filter({ hasText: studioName }).waitFor();
    await page.getByRole('region', { name: 'Files' }).waitFor();
    await page.getByRole('tree', { name: 'Workspace files' }).waitFor();
    await page.getByText('No file open').waitFor();
    await page.getByTestId('terminal-panel').waitFor();
    await page.getByTestId('members-button').waitFor();
    expect(await page.getByTestId('view-only').count()).toBe(0);
    // Opening wakes the Studio; the local runtime starts so fast that its `running` event
    // overtakes the `starting` answer of the start request, which must not win.
    await waitForStudioState(page, 'running');
    await page.context().close();
  });

  it('invites a viewer in the members dialog; the viewer sees the Studio read-only and the API refuses changes', async () => {
    const viewer = await ApiUser.signup(server.url, 'grace@example.com', 'Grace Hopper', password);
    // An API session for the owner, for clean-up and checks (the signup form was tested above).
    owner = await ApiUser.login(server.url, ownerEmail, password);

    const { page } = await browser.newUser(server.url);
    await page.context().addCookies([owner.browserCookie()]);
    await page.goto(`/studios/${studioId}`);
    await page.getByTestId('members-button').click();
    const members = page.getByRole('dialog', { name: 'Members' });
    await members.getByLabel('Invite by email').fill(viewer.user.email);
    await members.getByLabel('Role', { exact: true }).selectOption('viewer');
    await members.getByRole('button', { name: 'Invite' }).click();
    const viewerRow = members.getByTestId(`member-${viewer.user.id}`);
    await viewerRow.getByText('Grace Hopper', { exact: true }).waitFor();
    await expect.poll(() => viewerRow.getByLabel('Role of Grace Hopper').inputValue()).toBe('viewer');
    await page.context().close();

    // The viewer logs in through the form, not with the API cookie.
    const viewerBrowser = await browser.newUser(server.url);
    const viewerPage = viewerBrowser.page;
    await viewerPage.goto('/login');
    await fillAuthForm(viewerPage, { email: viewer.user.email, password });
    await viewerPage.getByRole('button', { name: 'Log in' }).click();
    const row = viewerPage.getByTestId(`studio-row-${studioId}`);
    await row.getByRole('link', { name: studioName }).waitFor();
    await expect.poll(() => row.getByText('Viewer').count()).toBe(1);
    // Only owners get the menu holding Rename and Delete.
    expect(await row.getByRole('button', { name: `More actions for ${studioName}` }).count()).toBe(0);
    expect(await viewerPage.getByRole('menuitem').count()).toBe(0);
    expect(await viewerPage.getByText(/Rename|Delete/).count()).toBe(0);

    await row.getByRole('button', { name: `Open ${studioName}` }).click();
    await viewerPage.getByTestId('view-only').waitFor();
    expect(await viewerPage.getByTestId('new-file').count()).toBe(0);

    // The browser session the viewer got from the login form is refused by the API too.
    const rename = await viewerPage.request.patch(`/api/studios/${studioId}`, { data: { name: 'hijacked' } });
    expect(rename.status()).toBe(403);
    expect(((await rename.json()) as { code: string }).code).toBe(ErrorCode.Forbidden);
    const remove = await viewerPage.request.delete(`/api/studios/${studioId}`);
    expect(remove.status()).toBe(403);
    const viaApi = await viewer.request('DELETE', `/api/studios/${studioId}`);
    expect(viaApi.status).toBe(403);

    const stillThere = await owner.request('GET', `/api/studios/${studioId}`);
    expect(((await stillThere.json()) as { name: string }).name).toBe(studioName);
    await viewerBrowser.context.close();
  });

  it('says "Email or password is incorrect" for a wrong password', async () => {
    const { page, context } = await browser.newUser(server.url);
    await page.goto('/login');
    await fillAuthForm(page, { email: ownerEmail, password: 'not the password' });
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('auth-error').filter({ hasText: 'Email or password is incorrect' }).waitFor();
    expect(page.url()).toMatch(/\/login$/);
    await context.close();
  });
});
