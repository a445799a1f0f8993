// The peer for S2–S4: a stock y-websocket server exactly as its README wires it, run as its own
// process (like the Studios server) so both sides pay the same IPC and scheduling costs.
// Usage: PORT=1234 node --import tsx bench/src/peers/stock-collab-server.ts
import http from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

const port = Number(process.env.PORT ?? '0');
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('stock y-websocket server\n');
});
const sockets = new WebSocketServer({ noServer: true });

server.on('upgrade', (request, socket, head) => {
  sockets.handleUpgrade(request, socket, head, (connection) => {
    // The room is the whole path, so the same URLs address the same docs as on Studios.
    const docName = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/');
    setupWSConnection(connection, request, { docName });
  });
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    for (const client of sockets.clients) client.terminate();
    server.close(() => process.exit(0));
  });
}
