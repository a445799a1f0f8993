import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ErrorCode, StudiosError } from '@studios/protocol';
import { DockerDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDataDir, testAgentHub } from '../testing/agent-fixture';
import type { AgentHub } from './agent-hub';
import { agentHostPaths } from './agent-runtime';

const MB = 1024 * 1024;
const studioId = `agent-kill-${Math.random().toString(36).slice(2, 8)}`;

// The real agent inside a running Docker Studio, killed from inside it (as a user could, with
// pkill in a terminal) in the middle of an upload.
describe('the agent killed mid-upload (Docker)', { timeout: 120_000 }, () => {
  let data: Awaited<ReturnType<typeof agentDataDir>>;
  let driver: DockerDriver;
  let hub: AgentHub;
  let workspace: string;

  beforeAll(async () => {
    data = await agentDataDir();
    driver = new DockerDriver({
      agent: agentHostPaths(data.dataDir),
      workspaceOwner: process.getuid?.() === 0 ? { uid: 1000, gid: 1000 } : undefined,
    });
    const made = testAgentHub(driver, data.dataDir);
    hub = made.hub;
    workspace = made.spec(studioId).workspaceDir;
    await driver.ensure(made.spec(studioId));
    await driver.start(studioId);
    hub.studioStateChanged(studioId, 'running');
  });

  afterAll(async () => {
    hub?.dispose();
    await driver?.remove(studioId).catch(() => {});
    await driver?.dispose();
    data?.cleanup();
  });

  /** `pkill -f studios-agent` inside the Studio, as its user; resolves with pkill's exit code. */
  async function killAgentInside(): Promise<number> {
    const session = await driver.exec(studioId, {
      cmd: ['pkill', '-KILL', '-f', 'studios-agent'],
      tty: false,
    });
    session.end();
    const code = await session.exit;
    session.dispose();
    return code;
  }

  it('fails the upload clearly, keeps the old file whole, and the restarted agent serves the next one', async () => {
    const files = hub.files(studioId);
    await files.write('data.bin', Buffer.from('the old content\n'), { maxBytes: 1024 });
    expect(hub.where(studioId)).toBe('studio');

    const chunk = Buffer.alloc(MB, 0x78);
    let sent = 0;
    let killed: Promise<number> | undefined;
    async function* upload(): AsyncGenerator<Uint8Array> {
      while (sent < 128 * MB) {
        if (sent === 8 * MB) killed = killAgentInside();
        sent += chunk.length;
        yield chunk;
      }
    }
    const error = await files.write('data.bin', upload(), { maxBytes: 256 * MB }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(await killed).toBe(0);
    expect(error).toBeInstanceOf(StudiosError);
    expect(error).toMatchObject({ code: ErrorCode.RuntimeError });
    expect(sent).toBeLessThan(128 * MB);
    expect(await readFile(join(workspace, 'data.bin'), 'utf8')).toBe('the old content\n');

    const written = await waitFor(
      () => files.write('data.bin', Readable.from([chunk, chunk]), { maxBytes: 256 * MB }),
      { timeoutMs: 30_000, what: 'an upload through the restarted agent' },
    );
    expect(written.size).toBe(2 * MB);
    expect(hub.where(studioId)).toBe('studio');
    expect((await readFile(join(workspace, 'data.bin'))).equals(Buffer.concat([chunk, chunk]))).toBe(true);
  });
});
