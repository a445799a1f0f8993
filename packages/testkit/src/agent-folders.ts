import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Agent folders (the runtime driver's `AgentHostPaths`) for drivers under test that never start
 * an agent: empty, but existing, as a container's read-only mounts need. Tests that do run the
 * agent install a real runtime with @studios/agent instead.
 */
export function emptyAgentFolders(): { runtimeDir: string; socketDir(studioId: string): string } {
  const root = mkdtempSync(join(tmpdir(), 'studios-agent-folders-'));
  const runtimeDir = join(root, 'runtime');
  mkdirSync(runtimeDir);
  return {
    runtimeDir,
    socketDir(studioId) {
      const dir = join(root, 'sockets', studioId);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}
