import path from 'node:path';
import { ChildServer, findFreePort } from './child-server';

/** The host-file floor (src/peers/host-file-server.ts) running as a child process. */
export interface HostFilePeer extends AsyncDisposable {
  child: ChildServer;
  /** `http://127.0.0.1:<port>/files/content?path=<relative path>`. */
  contentUrl(relativePath: string): string;
}

/** Starts the floor on a free loopback port, serving files under `root`. */
export async function startHostFilePeer(options: { benchDir: string; root: string }): Promise<HostFilePeer> {
  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = await ChildServer.start({
    name: 'host-file floor',
    args: ['--import', 'tsx', path.join('src', 'peers', 'host-file-server.ts')],
    cwd: options.benchDir,
    env: { PORT: String(port), FLOOR_ROOT: options.root },
    ready: async () => (await fetch(`${baseUrl}/`).catch(() => undefined))?.ok === true,
  });
  return {
    child,
    contentUrl: (relativePath) => `${baseUrl}/files/content?path=${encodeURIComponent(relativePath)}`,
    [Symbol.asyncDispose]: () => child[Symbol.asyncDispose](),
  };
}
