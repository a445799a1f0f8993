import { waitFor } from '@studios/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  launchBrowser,
  openStudio,
  type Person,
  recordedStudioStates,
  recordStudioStates,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  studioContainerState,
  type TestBrowser,
  tearDownSpec,
  waitForStudioState,
} from '../src/index';

/** Whether `states` holds `expected` in this order (other states may come in between). */
function inOrder(states: readonly string[], expected: readonly string[]): boolean {
  let next = 0;
  for (const state of states) if (state === expected[next]) next += 1;
  return next === expected.length;
}

// Issue #4: a Studio is a real container that starts, stops and wakes, seen live by everyone.
describe('Studio runtime on Docker', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let studioId = '';
  let ada: Person;
  let bob: Person;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'docker' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    const editor = await ApiUser.signup(server.url, 'bob@example.com', 'Bob');
    studioId = (await owner.createStudio('runtime')).id;
    await owner.addMember(studioId, editor.user.email, 'editor');
    [ada, bob] = await Promise.all([signedInPerson(browser, owner), signedInPerson(browser, editor)]);
    await recordStudioStates(ada.page);
    await recordStudioStates(bob.page);
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (owner && studioId) {
        await owner.deleteStudio(studioId);
        expect(await studioContainerState(studioId)).toBeNull();
      }
    },
  );

  it('wakes a stopped Studio when it is opened: stopped → starting → running', async () => {
    expect(await studioContainerState(studioId)).toBeNull();
    await openStudio(ada.page, studioId);
    await waitForStudioState(ada.page, 'running');
    expect(inOrder(await recordedStudioStates(ada.page), ['stopped', 'starting', 'running'])).toBe(true);
    expect(await studioContainerState(studioId)).toBe('running');

    await openStudio(bob.page, studioId);
    await waitForStudioState(bob.page, 'running');
  });

  it('stops from one browser and the other sees stopping → stopped live', async () => {
    await ada.page.getByTestId('studio-stop').click();
    await waitForStudioState(ada.page, 'stopped');
    await waitForStudioState(bob.page, 'stopped');
    expect(inOrder(await recordedStudioStates(bob.page), ['running', 'stopping', 'stopped'])).toBe(true);
    expect(await studioContainerState(studioId)).toBe('exited');
    // Nothing to stop any more; the start button is offered instead.
    expect(await bob.page.getByTestId('studio-stop').count()).toBe(0);
  });

  it('starts from the other browser and the first sees starting → running live', async () => {
    const before = (await recordedStudioStates(ada.page)).length;
    await bob.page.getByTestId('studio-start').click();
    await waitForStudioState(bob.page, 'running');
    await waitForStudioState(ada.page, 'running');
    const adaSaw = (await recordedStudioStates(ada.page)).slice(before - 1);
    expect(inOrder(adaSaw, ['stopped', 'starting', 'running'])).toBe(true);
    await waitFor(async () => (await studioContainerState(studioId)) === 'running', {
      timeoutMs: 15_000,
      what: 'the container to run again',
    });
  });

  it('stops again and both browsers end stopped', async () => {
    await bob.page.getByTestId('studio-stop').click();
    await waitForStudioState(bob.page, 'stopped');
    await waitForStudioState(ada.page, 'stopped');
    expect(await studioContainerState(studioId)).toBe('exited');
  });
});
