/**
 * A collab server in its own process, for crash tests: `tsx collab-server-process.ts <dbPath>
 * <workspaceRoot>`. Prints `listening <port>` once it accepts connections.
 */
import { startCollabTestServer } from './collab-test-server';

const [dbPath, workspaceRoot] = process.argv.slice(2);
if (!dbPath || !workspaceRoot) throw new Error('usage: collab-server-process <dbPath> <workspaceRoot>');
const server = await startCollabTestServer({ dbPath, workspaceRoot, writeDebounceMs: 1000 });
process.stdout.write(`listening ${server.port}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
