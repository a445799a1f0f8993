import type { Studio } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  launchBrowser,
  type Person,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
} from '../src/index';

// Settings › API tokens: a token made in the UI works as a Bearer token until it is revoked there.
describe('API tokens', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let person: Person;
  let studioId = '';
  const tokenName = 'ci-deploy';

  beforeAll(async () => {
    // The runtime is not under test here; local processes keep the flow light.
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada Lovelace');
    studioId = (await owner.createStudio('reports')).id;
    person = await signedInPerson(browser, owner);
    // The Copy button writes to the clipboard; reading it back proves what was copied.
    await person.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (studioId) await owner?.deleteStudio(studioId);
    },
  );

  const listStudios = (token: string) =>
    fetch(`${server.url}/api/studios`, { headers: { authorization: `Bearer ${token}` } });

  it('creates a token in the UI, uses it as a Bearer token, revokes it and is then refused', async () => {
    const { page } = person;
    await page.goto('/');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'API tokens' }).click();
    await page.waitForURL(/\/settings\/tokens$/);
    const sidebarLink = page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'API tokens' });
    expect(await sidebarLink.getAttribute('aria-current')).toBe('page');
    await page.getByText('No API tokens yet').waitFor();
    expect(await page.getByTestId('token-curl-example').textContent()).toBe(
      `curl -H "Authorization: Bearer <token>" ${server.url}/api/studios`,
    );

    await page.getByRole('button', { name: 'New token' }).click();
    const createDialog = page.getByRole('dialog', { name: 'New API token' });
    await createDialog.getByLabel('Name').fill(tokenName);
    await createDialog.getByRole('button', { name: 'Create token' }).click();

    const revealDialog = page.getByRole('dialog', { name: `Copy your token “${tokenName}”` });
    await revealDialog.getByText("Copy it now: you won't see it again").waitFor();
    const field = revealDialog.getByLabel('Your new token');
    expect(await field.getAttribute('readonly')).not.toBeNull();
    const shown = await field.inputValue();
    expect(shown).toMatch(/^stu_[\w-]{20,}$/);
    await revealDialog.getByRole('button', { name: 'Copy token' }).click();
    await revealDialog.getByRole('button', { name: 'Copied' }).waitFor();
    const token = await page.evaluate(() => navigator.clipboard.readText());
    expect(token).toBe(shown);
    await revealDialog.getByRole('button', { name: 'Done' }).click();
    await revealDialog.waitFor({ state: 'detached' });

    // The list keeps only the start of the secret, never the whole of it.
    const row = page.getByRole('row', { name: new RegExp(tokenName) });
    await row.getByText(`${token.slice(0, 10)}…`, { exact: true }).waitFor();
    await row.getByText('Never', { exact: true }).waitFor();
    expect(await page.getByText(token).count()).toBe(0);

    const allowed = await listStudios(token);
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as Studio[]).map((studio) => studio.id)).toEqual([studioId]);

    await page.reload();
    await waitFor(async () => (await row.getByText('Never', { exact: true }).count()) === 0, {
      timeoutMs: 15_000,
      what: 'the token to show when it was last used',
    });

    await row.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Revoke “${tokenName}”?` });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('No API tokens yet').waitFor();

    const refused = await listStudios(token);
    expect(refused.status).toBe(401);
  });
});
