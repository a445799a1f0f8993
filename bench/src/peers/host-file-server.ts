// The floor for S11's uploads and downloads: a plain Node HTTP server reading and writing host
// files directly, run as its own process (like the Studios server) so both sides pay the same
// loopback, IPC and scheduling costs.
// Usage: PORT=1234 FLOOR_ROOT=/tmp/x node --import tsx bench/src/peers/host-file-server.ts
import { createHostFileServer } from '../lib/host-file-server';

const port = Number(process.env.PORT ?? '0');
const root = process.env.FLOOR_ROOT;
if (!root) throw new Error('FLOOR_ROOT names the folder the floor serves');

const server = createHostFileServer(root);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
