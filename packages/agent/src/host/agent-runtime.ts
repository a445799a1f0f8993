import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, copyFile, link, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AGENT_BUNDLE_FILE, AGENT_NODE_FILE, type AgentHostPaths } from '@studios/runtime';
import { build } from 'esbuild';

const AGENT_ENTRY = resolve(import.meta.dirname, '../agent/main.ts');

/**
 * The host folders of the agent under `dataDir`: `agent-runtime/` (Node and the bundle) and
 * `agents/<studioId>/` (each Studio's socket folder). Both belong to the server; Studios only
 * ever see them read-only. Socket folders are created on first use (mount sources must exist).
 */
export function agentHostPaths(dataDir: string): AgentHostPaths {
  const runtimeDir = join(dataDir, 'agent-runtime');
  const socketRoot = join(dataDir, 'agents');
  return {
    runtimeDir,
    socketDir(studioId) {
      const dir = join(socketRoot, studioId);
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      // mkdir's mode is masked by the umask; the Studio user must be able to enter it.
      chmodSync(dir, 0o755);
      return dir;
    },
  };
}

let bundled: Promise<{ code: string; version: string }> | undefined;

/**
 * The agent as one ESM file (its only dependency, zod, included) and its version (a hash of
 * the code). Built once per process: the sources do not change under a running server.
 */
export function bundleAgent(): Promise<{ code: string; version: string }> {
  bundled ??= buildBundle().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  });
  return bundled;
}

async function buildBundle(): Promise<{ code: string; version: string }> {
  const first = await build({
    entryPoints: [AGENT_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    minify: true,
    legalComments: 'none',
    define: { STUDIOS_AGENT_VERSION: '"unversioned"' },
  });
  const output = first.outputFiles[0]?.text ?? '';
  const version = createHash('sha256').update(output).digest('hex').slice(0, 12);
  return { code: output.replace('"unversioned"', JSON.stringify(version)), version };
}

/**
 * Puts what the agent runs on into `runtimeDir`: a copy of this server's own Node (so the agent
 * does not depend on anything installed in, or removed from, a Studio) and the current bundle.
 * Files are replaced atomically (a running agent keeps its old inode) and only when changed.
 * Returns the agent version.
 */
export async function installAgentRuntime(
  runtimeDir: string,
  nodeBinary = process.execPath,
): Promise<string> {
  mkdirSync(runtimeDir, { recursive: true });
  await chmod(runtimeDir, 0o755);
  const { code, version } = await bundleAgent();
  const bundlePath = join(runtimeDir, AGENT_BUNDLE_FILE);
  const current = await readFile(bundlePath, 'utf8').catch(() => '');
  if (current !== code) await replace(bundlePath, (temp) => writeFile(temp, code, { mode: 0o644 }), 0o644);
  const nodePath = join(runtimeDir, AGENT_NODE_FILE);
  const [source, installed] = await Promise.all([stat(nodeBinary), stat(nodePath).catch(() => null)]);
  if (!installed || installed.ino !== source.ino) {
    // A hard link when the data folder is on the same file system (instant, no space), else a copy.
    const same = installed && installed.size === source.size && installed.mtimeMs >= source.mtimeMs;
    if (!same)
      await replace(
        nodePath,
        (temp) => link(nodeBinary, temp).catch(() => copyFile(nodeBinary, temp)),
        0o755,
      );
  }
  return version;
}

async function replace(path: string, write: (temp: string) => Promise<void>, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await write(temp);
  // A hard link shares its mode with the original: change it only when it must change.
  if (((await stat(temp)).mode & 0o777) !== mode) await chmod(temp, mode);
  await rename(temp, path);
}
