import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@studios/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  editorText,
  launchBrowser,
  openFileInEditor,
  openStudio,
  type Person,
  remoteCursorLabels,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
  typeAtEnd,
  waitForEditorText,
} from '../src/index';

const FILE = 'notes.txt';

// Issue #3: two people edit one file live in two browsers; a third only watches.
describe('live editing in Monaco', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let studioId = '';
  let ada: Person;
  let bob: Person;
  let cleo: Person;

  const onDisk = () => readFile(join(server.dataDir, 'studios', studioId, 'workspace', FILE), 'utf8');

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    const editor = await ApiUser.signup(server.url, 'bob@example.com', 'Bob');
    const viewer = await ApiUser.signup(server.url, 'cleo@example.com', 'Cleo');
    studioId = (await owner.createStudio('pairing')).id;
    await owner.addMember(studioId, editor.user.email, 'editor');
    await owner.addMember(studioId, viewer.user.email, 'viewer');
    await owner.createFile(studioId, FILE);
    [ada, bob, cleo] = await Promise.all([
      signedInPerson(browser, owner),
      signedInPerson(browser, editor),
      signedInPerson(browser, viewer),
    ]);
    for (const person of [ada, bob, cleo]) {
      await openStudio(person.page, studioId);
      await openFileInEditor(person.page, FILE);
    }
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (owner && studioId) await owner.deleteStudio(studioId);
    },
  );

  it("shows each editor's typing to the other, with their cursor labels", async () => {
    await typeAtEnd(ada.page, FILE, 'Hello from Ada');
    await waitForEditorText(bob.page, FILE, 'Hello from Ada');
    await waitForEditorText(cleo.page, FILE, 'Hello from Ada');

    await typeAtEnd(bob.page, FILE, '\nBob was here');
    const both = 'Hello from Ada\nBob was here';
    await waitForEditorText(ada.page, FILE, both);
    await waitForEditorText(cleo.page, FILE, both);

    await waitFor(async () => (await remoteCursorLabels(ada.page, FILE)).includes('Bob'), {
      timeoutMs: 15_000,
      what: "Bob's cursor label in Ada's editor",
    });
    await waitFor(async () => (await remoteCursorLabels(bob.page, FILE)).includes('Ada'), {
      timeoutMs: 15_000,
      what: "Ada's cursor label in Bob's editor",
    });
    // Everyone appears in the header's presence list.
    await ada.page.getByTestId(`presence-${bob.api.user.id}`).waitFor();
    await bob.page.getByTestId(`presence-${ada.api.user.id}`).waitFor();
  });

  it('saves the shared text to the file on disk', async () => {
    const expected = await editorText(ada.page, FILE);
    await bob.page.getByTestId('save-state').filter({ hasText: 'Saved to disk' }).waitFor();
    await waitFor(async () => (await onDisk()) === expected, {
      timeoutMs: 15_000,
      what: 'the file on disk to equal the editor text',
    });
  });

  it("ignores the viewer's typing: read-only editor, nothing reaches the others or the disk", async () => {
    const before = await editorText(cleo.page, FILE);
    expect(await cleo.page.getByTestId('view-only').count()).toBe(1);

    await typeAtEnd(cleo.page, FILE, 'viewer typed this');
    // Monaco answers a keystroke in a read-only editor with this message: the keys did arrive.
    await cleo.page
      .getByTestId(`editor-${FILE}`)
      .getByText('You can view this Studio but not edit it.')
      .waitFor();
    expect(await editorText(cleo.page, FILE)).toBe(before);

    // A later edit by Ada reaches everyone and the disk; the viewer's keys are in none of them.
    await typeAtEnd(ada.page, FILE, '!');
    const after = `${before}!`;
    await waitForEditorText(cleo.page, FILE, after);
    await waitForEditorText(bob.page, FILE, after);
    await waitFor(async () => (await onDisk()) === after, {
      timeoutMs: 15_000,
      what: 'the disk to have Ada’s last edit',
    });
    expect(await onDisk()).not.toContain('viewer typed this');
  });
});
