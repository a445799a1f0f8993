// Runs inside the test browser's network namespace (see browser-network.ts). That namespace has
// only its own loopback, so the browser never sees the host's interfaces come and go. This relay
// makes the host's servers reachable there under the same URLs: for each command line
// `listen <port> <socketPath>` on stdin it listens on 127.0.0.1:<port> inside the namespace and
// pipes every connection to the Unix socket <socketPath>, which lives on the shared file system
// and is answered by the harness in the host's namespace. It answers `ok <port>` or `error <port> <why>`.
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';

const servers = [];

function listen(port, socketPath) {
  const server = createServer((inbound) => {
    const outbound = createConnection(socketPath);
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close);
    outbound.on('error', close);
    inbound.on('close', close);
    outbound.on('close', close);
  });
  server.once('error', (error) => process.stdout.write(`error ${port} ${error.message}\n`));
  server.listen(port, '127.0.0.1', () => process.stdout.write(`ok ${port}\n`));
  servers.push(server);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, port, socketPath] = line.trim().split(' ');
  if (command === 'listen' && port && socketPath) listen(Number(port), socketPath);
});
// The harness ends the relay by closing stdin (or killing it if it has died).
process.stdin.on('end', () => {
  for (const server of servers) server.close();
  process.exit(0);
});
