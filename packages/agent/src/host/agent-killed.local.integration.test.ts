import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ErrorCode, StudiosError } from '@studios/protocol';
import { LocalDriver } from '@studios/runtime';
import { findProcesses, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDataDir, testAgentHub } from '../testing/agent-fixture';
import type { AgentHub } from './agent-hub';
import { agentHostPaths } from './agent-runtime';

const MB = 1024 * 1024;

// The real agent (local runtime) killed with SIGKILL in the middle of an upload: nothing it had
// not finished may replace the file, the caller gets a clear error, and the next agent serves.
describe('the agent killed mid-upload (local runtime)', { timeout: 60_000 }, () => {
  let data: Awaited<ReturnType<typeof agentDataDir>>;
  let driver: LocalDriver;
  let hub: AgentHub;
  let workspace: string;
  const studioId = 'agent-killed-1';

  beforeAll(async () => {
    data = await agentDataDir();
    driver = new LocalDriver({ agent: agentHostPaths(data.dataDir) });
    const made = testAgentHub(driver, data.dataDir);
    hub = made.hub;
    workspace = made.spec(studioId).workspaceDir;
  });

  afterAll(async () => {
    hub?.dispose();
    await driver?.dispose();
    data?.cleanup();
  });

  /** The one agent process serving this Studio's workspace. */
  function agentPid(): number {
    const pids = findProcesses('studios-agent.mjs', '--root', workspace);
    expect(pids).toHaveLength(1);
    return pids[0] as number;
  }

  it('fails the upload clearly, keeps the old file whole, and the next upload succeeds', async () => {
    const files = hub.files(studioId);
    await files.write('data.bin', Buffer.from('the old content\n'), { maxBytes: 1024 });
    const killed = agentPid();

    const chunk = Buffer.alloc(MB, 0x78);
    let sent = 0;
    async function* upload(): AsyncGenerator<Uint8Array> {
      while (sent < 64 * MB) {
        // Killed once 8 MB are on their way: the agent is writing its temp file.
        if (sent === 8 * MB) process.kill(killed, 'SIGKILL');
        sent += chunk.length;
        yield chunk;
      }
    }
    const started = Date.now();
    const error = await files.write('data.bin', upload(), { maxBytes: 100 * MB }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(StudiosError);
    expect(error).toMatchObject({ code: ErrorCode.RuntimeError });
    expect((error as StudiosError).message).toMatch(/agent went away/);
    expect(sent).toBeLessThan(64 * MB);
    // Atomic write: the old file, whole; the killed agent's temp file is never the file.
    expect(await readFile(join(workspace, 'data.bin'), 'utf8')).toBe('the old content\n');
    expect((await files.list()).entries.map((entry) => entry.path)).toEqual(['data.bin']);

    const written = await files.write('data.bin', Readable.from([chunk, chunk, chunk]), {
      maxBytes: 100 * MB,
    });
    expect(written.size).toBe(3 * MB);
    expect((await readFile(join(workspace, 'data.bin'))).equals(Buffer.concat([chunk, chunk, chunk]))).toBe(
      true,
    );
    await waitFor(() => findProcesses('studios-agent.mjs', '--root', workspace).length === 1);
    expect(agentPid()).not.toBe(killed);
    // What SIGKILL left behind is only a hidden temp file, never a half-written data.bin.
    const leftovers = (await readdir(workspace)).filter((name) => name !== 'data.bin');
    expect(leftovers.every((name) => /^\.data\.bin\.studios-[0-9a-f]{12}\.tmp$/.test(name))).toBe(true);
  });
});
