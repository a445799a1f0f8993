import { type Studio, type StudioEvent, TerminalInfo, type TerminalServerMessage } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  connectSocket,
  createStudio,
  type ListeningTestServer,
  signUp,
  startTestServer,
  type TestSocket,
  upgradeStatus,
} from '../../testing';
import { runtimeFeature } from '../runtime';
import { type TerminalsFeature, terminalsFeature } from './terminals-feature';

// On Docker: sharing a shell between people is what containers are for (the local runtime gives
// processes to its admin only, see local-runtime-policy.integration.test.ts).
describe('terminals feature on a real server (Docker)', { timeout: 60_000 }, () => {
  let t: ListeningTestServer;
  let driver: RuntimeDriver;
  let feature: TerminalsFeature;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let studio: Studio;
  const sockets: TestSocket[] = [];

  const call = (method: string, path: string, who: Account, body?: unknown) =>
    callAs(t, who, method, path, body);
  const terminalsPath = () => `/api/studios/${studio.id}/terminals`;
  const socketUrl = (terminalId: string) => t.wsUrl(`${terminalsPath()}/${terminalId}`);

  async function attach(who: Account, terminalId: string): Promise<TestSocket> {
    const socket = await connectSocket(socketUrl(terminalId), { cookie: who.cookie, origin: t.origin });
    sockets.push(socket);
    await waitFor(() => controls(socket).some((message) => message.type === 'snapshot'));
    return socket;
  }

  beforeEach(async () => {
    // Wired as in main.ts: one driver shared by the runtime and terminals features.
    t = await startTestServer({
      config: { runtime: 'docker', idleMinutes: 0 },
      features: [runtimeFeature(), terminalsFeature()],
    });
    driver = t.driver;
    feature = t.server.features.find((candidate) => candidate.name === 'terminals') as TerminalsFeature;
    [alice, bob, carol] = [await signUp(t), await signUp(t), await signUp(t)];
    studio = await createStudio(t, alice, {
      name: 'Shells',
      members: [
        [bob, 'editor'],
        [carol, 'viewer'],
      ],
    });
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
    await t.close();
    await driver.remove(studio.id);
    await driver.dispose();
  });

  async function startStudio(): Promise<void> {
    const machine = t.config.machineTypes[0];
    if (!machine) throw new Error('no machine types configured');
    await driver.ensure({
      studioId: studio.id,
      workspaceDir: t.server.services.studios.workspaceDir(studio.id),
      machine,
    });
    await driver.start(studio.id);
  }

  it('refuses to open a terminal in a stopped Studio with a clear 409', async () => {
    const response = await call('POST', terminalsPath(), alice, {});
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({
      code: 'studio_not_running',
      message: expect.stringMatching(/Start it/),
    });
  });

  it('shares a shell: A types, B sees it; a viewer’s input is dropped; roles apply live', async () => {
    await startStudio();
    expect((await call('POST', terminalsPath(), carol, {})).status).toBe(403);
    expect((await call('POST', terminalsPath(), alice, { cols: 1 })).status).toBe(400);
    const created = await call('POST', terminalsPath(), alice, { name: 'build', cols: 100, rows: 30 });
    expect(created.status).toBe(201);
    const info = TerminalInfo.parse(await created.json());
    expect(info).toMatchObject({
      name: 'build',
      cols: 100,
      rows: 30,
      createdBy: alice.user.id,
      exitCode: null,
    });
    expect(await (await call('GET', terminalsPath(), carol)).json()).toMatchObject([{ id: info.id }]);

    const a = await attach(alice, info.id);
    const b = await attach(bob, info.id);
    const viewer = await attach(carol, info.id);
    expect(hello(viewer).canWrite).toBe(false);
    expect(hello(b).canWrite).toBe(true);

    send(a, 'echo hi-$((40+2))\r');
    await waitFor(() => output(b).includes('hi-42'));

    send(viewer, 'echo viewer-$((2+2))\r');
    send(a, 'echo after-$((3+3))\r');
    await waitFor(() => output(b).includes('after-6'));
    expect(output(b)).not.toContain('viewer');

    expect(
      (await call('PATCH', `/api/studios/${studio.id}/members/${carol.user.id}`, alice, { role: 'editor' }))
        .status,
    ).toBe(200);
    await waitFor(() => controls(viewer).some((message) => message.type === 'role' && message.canWrite));
    send(viewer, 'echo promoted-$((4+4))\r');
    await waitFor(() => output(a).includes('promoted-8'));

    const renamed = await call('PATCH', `${terminalsPath()}/${info.id}`, bob, { name: 'tests' });
    expect(await renamed.json()).toMatchObject({ id: info.id, name: 'tests' });
    expect((await call('DELETE', `${terminalsPath()}/${info.id}`, bob)).status).toBe(204);
    expect((await a.closed).code).toBe(4410);
    expect((await call('DELETE', `${terminalsPath()}/${info.id}`, bob)).status).toBe(404);
  });

  it('tells every open Studio page when a terminal is opened, attached, renamed or closed', async () => {
    await startStudio();
    const events = await connectSocket(t.wsUrl(`/api/studios/${studio.id}/events`), {
      cookie: bob.cookie,
      origin: t.origin,
    });
    sockets.push(events);
    const lists = () =>
      (events.messages as StudioEvent[]).flatMap((event) =>
        event.type === 'terminals' ? [event.terminals] : [],
      );
    const waitForList = (what: string, check: (list: TerminalInfo[]) => boolean) =>
      waitFor(() => {
        const latest = lists().at(-1);
        if (!latest || !check(latest))
          throw new Error(`no terminals event with ${what}: ${JSON.stringify(latest)}`);
        return latest;
      });

    const info = TerminalInfo.parse(
      await (await call('POST', terminalsPath(), alice, { name: 'build' })).json(),
    );
    const opened = await waitForList('the new terminal', (list) => list.some((item) => item.id === info.id));
    expect(opened).toEqual([{ ...info, attached: [] }]);

    await attach(alice, info.id);
    await waitForList(
      'Alice attached',
      (list) => list[0]?.attached.some((person) => person.userId === alice.user.id) === true,
    );

    expect((await call('PATCH', `${terminalsPath()}/${info.id}`, alice, { name: 'tests' })).status).toBe(200);
    await waitForList('the new name', (list) => list[0]?.name === 'tests');

    const before = lists().length;
    expect((await call('DELETE', `${terminalsPath()}/${info.id}`, alice)).status).toBe(204);
    await waitForList('no terminals', (list) => list.length === 0);
    // The close and its clients detaching reach the page as one list, not one per socket.
    expect(lists().length).toBe(before + 1);
  });

  it('refuses a foreign-origin upgrade before any terminal is attached', async () => {
    await startStudio();
    const info = TerminalInfo.parse(await (await call('POST', terminalsPath(), alice, {})).json());
    const status = await upgradeStatus(socketUrl(info.id), {
      cookie: alice.cookie,
      origin: 'https://evil.example',
    });
    expect(status).toBe(403);
    expect(await upgradeStatus(socketUrl(info.id), { origin: t.origin })).toBe(401);
    expect(feature.service.stats().connections).toBe(0);
  });

  it('closes a Studio’s terminals when it stops', async () => {
    await startStudio();
    const info = TerminalInfo.parse(await (await call('POST', terminalsPath(), alice, {})).json());
    const a = await attach(alice, info.id);
    expect((await call('POST', `/api/studios/${studio.id}/stop`, bob)).status).toBe(202);
    expect((await a.closed).code).toBe(4410);
    expect(await (await call('GET', terminalsPath(), alice)).json()).toEqual([]);
  });
});

function controls(socket: TestSocket): TerminalServerMessage[] {
  return socket.messages.filter((message): message is TerminalServerMessage => !Buffer.isBuffer(message));
}

function hello(socket: TestSocket): Extract<TerminalServerMessage, { type: 'hello' }> {
  const message = controls(socket).find((candidate) => candidate.type === 'hello');
  if (message?.type !== 'hello') throw new Error('no hello');
  return message;
}

/** Everything the socket received as terminal output, snapshots included. */
function output(socket: TestSocket): string {
  return socket.messages
    .map((message) => {
      if (Buffer.isBuffer(message)) return message.toString('utf8');
      const control = message as TerminalServerMessage;
      return control.type === 'snapshot' ? control.data : '';
    })
    .join('');
}

function send(socket: TestSocket, text: string): void {
  socket.ws.send(Buffer.from(text), { binary: true });
}
