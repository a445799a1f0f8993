import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  launchBrowser,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
} from '../src/index';

// Issue #14: the local runtime (no Docker) is for one trusted person. Others can co-edit what
// the admin shares, but the page tells them why there are no terminals instead of failing.
describe('local runtime: terminals for the admin only', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let admin: ApiUser;
  let editor: ApiUser;
  let studioId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local' }),
      launchBrowser(),
    ]);
    admin = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    editor = await ApiUser.signup(server.url, 'bob@example.com', 'Bob');
    studioId = (await admin.createStudio('on this machine')).id;
    await admin.addMember(studioId, editor.user.email, 'editor');
  });

  tearDownSpec(
    () => browser,
    () => server,
  );

  it('explains to an editor that terminals need Docker, and gives the admin a terminal', async () => {
    const bob = await signedInPerson(browser, editor);
    await bob.page.goto(`/studios/${studioId}`);
    const notice = bob.page.getByTestId('terminals-admin-only');
    await notice.getByText('Terminals need Docker on this server').waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/administrator/);
    // The files are still theirs to edit.
    await bob.page.getByRole('tree', { name: 'Workspace files' }).waitFor();

    const ada = await signedInPerson(browser, admin);
    await ada.page.goto(`/studios/${studioId}`);
    await ada.page.getByTestId('new-terminal').waitFor({ timeout: 30_000 });
    expect(await ada.page.getByTestId('terminals-admin-only').count()).toBe(0);
  });
});
