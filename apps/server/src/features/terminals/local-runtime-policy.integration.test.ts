import { chmodSync } from 'node:fs';
import { ErrorCode, type Studio, type TerminalServerMessage } from '@studios/protocol';
import { LocalDriver, lookUpLocalUser } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  connectSocket,
  createStudio,
  createTestConfig,
  type ListeningTestServer,
  signUp,
  startTestServer,
  type TestSocket,
} from '../../testing';
import { rawHttp, UPGRADE_HEADERS } from '../../testing/raw-http';
import { chooseRuntimeDriver, runtimeFeature } from '../runtime';
import { terminalsFeature } from './terminals-feature';

const isRoot = process.getuid?.() === 0;

// Issue #14: the local runtime runs processes on the server's own machine, so it is for one
// trusted person: only the instance admin runs anything, never as root.
describe('local runtime: one trusted user', { timeout: 60_000 }, () => {
  let t: ListeningTestServer;
  let admin: Account;
  let editor: Account;
  let studio: Studio;
  const sockets: TestSocket[] = [];
  const terminals = () => `/api/studios/${studio.id}/terminals`;

  beforeAll(async () => {
    t = await startTestServer({
      // As main.ts builds it for a root server: processes as the set-up's unprivileged user.
      runtime: (agent) => new LocalDriver({ agent, ...(isRoot ? { user: lookUpLocalUser('studios') } : {}) }),
      features: [runtimeFeature(), terminalsFeature()],
    });
    // The unprivileged user must reach the workspace inside the (private) temp data folder.
    chmodSync(t.dataDir, 0o755);
    admin = await signUp(t);
    editor = await signUp(t);
    studio = await createStudio(t, admin, { name: 'Mine', members: [[editor, 'editor']] });
    expect((await callAs(t, admin, 'POST', `/api/studios/${studio.id}/start`)).status).toBe(202);
    await waitFor(async () => (await t.driver.status(studio.id)).state === 'running');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await t?.close();
  });

  it('refuses terminals to everyone but the admin, with a code and a message that says why', async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', {}],
    ] as const) {
      const response = await callAs(t, editor, method, terminals(), body);
      expect(response.status, method).toBe(403);
      expect(await response.json()).toMatchObject({
        code: ErrorCode.LocalRuntimeAdminOnly,
        message: expect.stringMatching(/administrator.*Docker/),
      });
    }
    const created = await callAs(t, admin, 'POST', terminals(), {});
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const upgrade = await rawHttp(t.url, {
      path: `${terminals()}/${id}`,
      headers: { ...UPGRADE_HEADERS, cookie: editor.cookie, origin: t.origin },
    });
    expect(upgrade.status).toBe(403);
    expect(JSON.parse(upgrade.body)).toMatchObject({ code: ErrorCode.LocalRuntimeAdminOnly });
  });

  it("runs the admin's shell as an unprivileged user with no capabilities", async () => {
    const created = await callAs(t, admin, 'POST', terminals(), {});
    const { id } = (await created.json()) as { id: string };
    const socket = await connectSocket(t.wsUrl(`${terminals()}/${id}`), {
      cookie: admin.cookie,
      origin: t.origin,
    });
    sockets.push(socket);
    const screen = () =>
      socket.messages
        .map((message) => {
          if (Buffer.isBuffer(message)) return message.toString('utf8');
          const control = message as TerminalServerMessage;
          return control.type === 'snapshot' ? control.data : '';
        })
        .join('');
    await waitFor(() =>
      socket.messages.some((m) => !Buffer.isBuffer(m) && (m as TerminalServerMessage).type === 'snapshot'),
    );
    // The arithmetic keeps the typed line itself from matching.
    socket.ws.send(Buffer.from('echo "uid=$(id -u) c$((0))$(grep CapEff /proc/self/status)"\r'), {
      binary: true,
    });
    const line = await waitFor(() => /uid=(\d+) c0CapEff:\s+([0-9a-f]+)/.exec(screen()), {
      what: 'the shell to print its uid and capabilities',
    });
    expect(Number(line[1])).not.toBe(0);
    expect(line[2]).toBe('0000000000000000');
  });

  it('refuses to start as root with a local runtime user that does not exist, naming the setting', async () => {
    const config = createTestConfig(t.dataDir, { runtime: 'local', localUser: 'no-such-studios-user' });
    const attempt = chooseRuntimeDriver(config, t.server.services.log, {
      runtimeDir: t.dataDir,
      socketDir: () => t.dataDir,
    });
    await expect(attempt).rejects.toThrow(/STUDIOS_LOCAL_USER/);
  });
});
