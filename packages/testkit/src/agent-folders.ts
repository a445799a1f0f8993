import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders made by this process: test drivers live as long as it, and the folders go when it does. */
const made = new Set<string>();
process.once('exit', () => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

/**
 * Agent folders (the runtime driver's `AgentHostPaths`) for drivers under test that never start
 * an agent: empty, but existing, as a container's read-only mounts need. Tests that do run the
 * agent install a real runtime with @studios/agent instead.
 */
export function emptyAgentFolders(): { runtimeDir: string; socketDir(studioId: string): string } {
  const root = mkdtempSync(join(tmpdir(), 'studios-agent-folders-'));
  made.add(root);
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
