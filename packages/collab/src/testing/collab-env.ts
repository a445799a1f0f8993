import { tempDirs } from '@studios/testkit';
import { afterEach } from 'vitest';
import type { TestClient } from './collab-client';
import { type CollabTestServer, startCollabTestServer } from './collab-test-server';
import type { RawSocket } from './raw-socket';

/**
 * The shared fixture of the collab integration tests: temp folders, the clients and raw sockets a
 * test opens and the server it starts, all torn down after each test (clients and sockets first).
 */
export function useCollabEnv() {
  const dirs = tempDirs();
  const clients: TestClient[] = [];
  const raws: RawSocket[] = [];
  let server: CollabTestServer | undefined;

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const raw of raws.splice(0)) raw.ws.terminate();
    await server?.close();
    server = undefined;
    dirs.cleanup();
  });

  return {
    dirs,
    clients,
    raws,
    /** Starts a collab test server; the latest one started is closed after the test. */
    async startServer(options: Parameters<typeof startCollabTestServer>[0]): Promise<CollabTestServer> {
      server = await startCollabTestServer(options);
      return server;
    },
  };
}
