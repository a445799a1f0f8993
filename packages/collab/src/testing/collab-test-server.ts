import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Disposable } from '@studios/base';
import { COLLAB_MAX_FRAME_BYTES } from '@studios/protocol';
import { WebSocketServer } from 'ws';
import type { DocumentFiles } from '../disk/document-files';
import { CollabService, type CollabServiceOptions } from '../server/collab-service';
import type { CollabConnection } from '../server/room-connection';
import { folderDocumentFiles, watchFolder } from './folder-document-files';

export interface TestConnection {
  studioId: string;
  docPath: string;
  userId: string;
  handle: CollabConnection;
}

export interface CollabTestServer {
  /** Base of the collab routes: `${origin}/api/studios/:studioId/collab`. */
  collabUrl(studioId: string): string;
  readonly port: number;
  readonly service: CollabService;
  readonly connections: TestConnection[];
  close(): Promise<void>;
}

/**
 * A real HTTP server with the collab route `/api/studios/:studioId/collab/:doc`, standing in for
 * apps/server in package tests, with a folder per Studio standing in for its agent. Query `?role=viewer&user=<id>` picks the socket's role and user.
 */
export async function startCollabTestServer(
  options: CollabServiceOptions & {
    workspaceRoot: string | ((studioId: string) => string);
    maxPayload?: number;
  },
): Promise<CollabTestServer> {
  const service = new CollabService(options);
  // One stand-in agent (and folder watch) per Studio, as the server has one agent per Studio.
  const studios = new Map<string, { files: DocumentFiles; watch: Disposable }>();
  const filesOf = (studioId: string): DocumentFiles => {
    let studio = studios.get(studioId);
    if (!studio) {
      const root =
        typeof options.workspaceRoot === 'string' ? options.workspaceRoot : options.workspaceRoot(studioId);
      studio = {
        files: folderDocumentFiles(root),
        watch: watchFolder(root, (paths) => service.pathsChanged(studioId, paths)),
      };
      studios.set(studioId, studio);
    }
    return studio.files;
  };
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? COLLAB_MAX_FRAME_BYTES,
  });
  const connections: TestConnection[] = [];
  const http: Server = createServer((_request, response) => response.writeHead(404).end());
  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/api\/studios\/([^/]+)\/collab\/([^/]+)$/.exec(url.pathname);
    if (!match?.[1] || !match[2]) {
      socket.destroy();
      return;
    }
    const studioId = match[1];
    const docPath = decodeURIComponent(match[2]);
    const userId = url.searchParams.get('user') ?? 'alice';
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const handle = service.handleConnection(ws, {
        studioId,
        files: filesOf(studioId),
        docPath,
        user: { id: userId, name: userId },
        canWrite: url.searchParams.get('role') !== 'viewer',
      });
      connections.push({ studioId, docPath, userId, handle });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    service,
    connections,
    collabUrl: (studioId) => `ws://127.0.0.1:${port}/api/studios/${studioId}/collab`,
    async close() {
      for (const studio of studios.values()) studio.watch.dispose();
      await service.dispose();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
