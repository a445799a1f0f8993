import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { DockerDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDataDir, testAgentHub } from '../testing/agent-fixture';
import type { AgentHub } from './agent-hub';
import { agentHostPaths } from './agent-runtime';

const studioId = `agent-it-${Math.random().toString(36).slice(2, 8)}`;

// The agent for real on Docker: inside the running Studio as uid 1000, and in a files-only
// sandbox (no network) while the Studio is stopped; the Studio's files stay live across both.
describe('Studio agent (Docker)', { timeout: 120_000 }, () => {
  let data: Awaited<ReturnType<typeof agentDataDir>>;
  let driver: DockerDriver;
  let hub: AgentHub;
  let made: ReturnType<typeof testAgentHub>;

  beforeAll(async () => {
    data = await agentDataDir();
    driver = new DockerDriver({
      agent: agentHostPaths(data.dataDir),
      workspaceOwner: process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : undefined,
    });
    made = testAgentHub(driver, data.dataDir);
    hub = made.hub;
  });

  afterAll(async () => {
    hub?.dispose();
    await driver?.remove(studioId).catch(() => {});
    await driver?.dispose();
    data?.cleanup();
  });

  it('serves a stopped Studio from a sandbox: files written there, owned by the Studio user', async () => {
    const files = hub.files(studioId);
    await files.write('notes.md', Buffer.from('written while stopped\n'), { maxBytes: 1024 });
    expect(hub.where(studioId)).toBe('sandbox');
    const workspace = made.spec(studioId).workspaceDir;
    expect(await readFile(join(workspace, 'notes.md'), 'utf8')).toBe('written while stopped\n');
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(workspace, 'notes.md'))).uid).toBe(1000);
  });

  it('moves into the Studio when it starts, and the files written before are there', async () => {
    await driver.ensure(made.spec(studioId));
    await driver.start(studioId);
    hub.studioStateChanged(studioId, 'running');
    await waitFor(() => hub.where(studioId) === 'studio', {
      timeoutMs: 30_000,
      what: 'the agent inside the Studio',
    });
    const { stream } = await hub.files(studioId).read('notes.md');
    expect(await text(stream)).toBe('written while stopped\n');
  });

  it('goes back to a sandbox when the Studio stops, and a write there is seen after the next start', async () => {
    await driver.stop(studioId);
    await hub.files(studioId).write('after-stop.txt', Buffer.from('kept\n'), { maxBytes: 1024 });
    expect(hub.where(studioId)).toBe('sandbox');
    await driver.start(studioId);
    hub.studioStateChanged(studioId, 'running');
    await waitFor(() => hub.where(studioId) === 'studio', {
      timeoutMs: 30_000,
      what: 'the agent inside the Studio',
    });
    expect((await hub.files(studioId).list()).entries.map((entry) => entry.path).sort()).toEqual([
      'after-stop.txt',
      'notes.md',
    ]);
  });
});
