import { join } from 'node:path';
import { CollabService, type FileOwner, Workspace, WorkspaceWatcher } from '@studios/collab';
import { COLLAB_MAX_FRAME_BYTES, RoleAbility } from '@studios/protocol';
import { isoTime } from '../../iso-time';
import { describeError } from '../../logger';
import type { Feature, FeatureContext, SocketRoute } from '../feature';
import { type FileRoutesHost, fileApiRoutes, fileContentRoutes, MAX_UPLOAD_BYTES } from './file-routes';

export interface CollabFeatureOptions {
  /** Owner of files written into workspaces (the Studio user when the server runs as root). */
  fileOwner?: FileOwner;
  /** How far a file may lag behind its live document (≤ 1000 ms). */
  writeDebounceMs?: number;
}

/** The collab feature, with its service for other features and tests. */
export interface CollabFeature extends Feature {
  service: CollabService;
}

/**
 * Live documents (`WS /api/studios/:studioId/collab/:doc`, y-websocket protocol), the files
 * REST API, and `files` / `doc-saved` events. Tree changes are watched per Studio from the first
 * time anyone lists its files, opens a document or changes a file, until the server stops or
 * the Studio is deleted.
 */
export function collabFeature(options: CollabFeatureOptions = {}) {
  return (context: FeatureContext): CollabFeature => {
    const log = context.log.child({ feature: 'collab' });
    const service = new CollabService({
      dbPath: join(context.config.dataDir, 'collab.db'),
      clock: context.clock,
      log,
      ...(options.fileOwner ? { fileOwner: options.fileOwner } : {}),
      ...(options.writeDebounceMs !== undefined ? { writeDebounceMs: options.writeDebounceMs } : {}),
    });
    const watchers = new Map<string, Promise<WorkspaceWatcher | undefined>>();
    const workspaceRoot = (studioId: string) => context.studios.workspaceDir(studioId);
    const workspace = (studioId: string) =>
      new Workspace(workspaceRoot(studioId), options.fileOwner ? { fileOwner: options.fileOwner } : {});

    const watch = (studioId: string) => {
      if (watchers.has(studioId)) return;
      const started = WorkspaceWatcher.start(workspaceRoot(studioId), { log }).then(
        (watcher) => {
          watcher.onChanges((changes) => context.events.publish(studioId, { type: 'files', changes }));
          return watcher;
        },
        (error: unknown) => {
          log.warn('cannot watch workspace', { studioId, ...describeError(error) });
          watchers.delete(studioId);
          return undefined;
        },
      );
      watchers.set(studioId, started);
    };
    const unwatch = async (studioId: string) => {
      const watcher = await watchers.get(studioId);
      watchers.delete(studioId);
      watcher?.dispose();
    };

    // A save follows every accepted edit within a second, so it doubles as the "someone is
    // editing" signal for idle sleep.
    const saved = service.onSaved(({ studioId, path, savedAt }) => {
      context.activity.touch(studioId, 'collab');
      context.events.publish(studioId, { type: 'doc-saved', path, savedAt: isoTime(savedAt.getTime()) });
    });

    const host: FileRoutesHost = {
      workspace,
      interested: watch,
      moved: (studioId, from, to) => {
        watch(studioId);
        return service.pathMoved(studioId, from, to);
      },
      deleted: (studioId, path) => {
        watch(studioId);
        return service.pathDeleted(studioId, path);
      },
    };

    const collabSocket: SocketRoute = {
      pattern: '/api/studios/:studioId/collab/:doc',
      minRole: 'viewer',
      maxPayload: COLLAB_MAX_FRAME_BYTES,
      handle(ws, socket) {
        watch(socket.studioId);
        const connection = service.handleConnection(ws, {
          studioId: socket.studioId,
          workspaceRoot: workspaceRoot(socket.studioId),
          docPath: socket.params.doc ?? '',
          user: { id: socket.user.id, name: socket.user.name },
          canWrite: RoleAbility[socket.role].write,
        });
        return { onRoleChange: (role) => connection.setCanWrite(RoleAbility[role].write) };
      },
    };

    return {
      name: 'collab',
      service,
      apiRoutes: fileApiRoutes(host),
      routes: fileContentRoutes(host),
      sockets: [collabSocket],
      bodyLimits: [{ pattern: '/api/studios/:studioId/files/content', maxBytes: MAX_UPLOAD_BYTES }],
      async onStudioDeleted(studioId) {
        await unwatch(studioId);
        await service.deleteStudio(studioId);
      },
      async stop() {
        saved.dispose();
        await Promise.all([...watchers.keys()].map(unwatch));
        await service.dispose();
      },
    };
  };
}
