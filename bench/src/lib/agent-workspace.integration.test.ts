import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentWorkspace } from './agent-workspace';

// The local runtime: the agent as a child process, no Docker needed.
describe('openAgentWorkspace (local runtime)', { timeout: 60_000 }, () => {
  it('serves the workspace through a connected agent and removes everything when disposed', async () => {
    let workspaceDir = '';
    {
      await using workspace = await openAgentWorkspace('local');
      workspaceDir = workspace.workspaceDir;
      expect(workspace.where).toBe('studio');
      await workspace.files.write('hello.txt', Buffer.from('hi\n'), { maxBytes: 1024 });
      expect(await readFile(join(workspaceDir, 'hello.txt'), 'utf8')).toBe('hi\n');
      expect((await workspace.files.list(10)).entries.map((entry) => entry.path)).toEqual(['hello.txt']);
    }
    expect(existsSync(workspaceDir)).toBe(false);
  });
});
