import type { AddressInfo } from 'node:net';
import { TERMINAL_MAX_FRAME_BYTES } from '@studios/protocol';
import { WebSocketServer } from 'ws';
import type { TerminalService } from '../terminal-service';
import type { TerminalAttachment } from '../terminal-session';

/**
 * A bare WebSocket server that hands each socket to TerminalService.attach, the way the real
 * server's route does after authentication: `/studios/:studioId/terminals/:terminalId?user=u&canWrite=1`.
 */
export async function startTerminalTestServer(service: TerminalService): Promise<{
  url: (studioId: string, terminalId: string, user: string, canWrite: boolean) => string;
  attachments: Map<string, TerminalAttachment>;
  close: () => Promise<void>;
}> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: TERMINAL_MAX_FRAME_BYTES });
  const attachments = new Map<string, TerminalAttachment>();
  server.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'http://test');
    const [, , studioId = '', , terminalId = ''] = url.pathname.split('/');
    const user = url.searchParams.get('user') ?? 'anonymous';
    const attachment = service.attach(studioId, terminalId, socket, {
      user: { id: user, name: `User ${user}` },
      canWrite: url.searchParams.get('canWrite') === '1',
    });
    if (attachment) attachments.set(user, attachment);
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (studioId, terminalId, user, canWrite) =>
      `ws://127.0.0.1:${port}/studios/${studioId}/terminals/${terminalId}?user=${user}&canWrite=${canWrite ? 1 : 0}`,
    attachments,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
