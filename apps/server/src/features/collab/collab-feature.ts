import { join } from 'node:path';
import type { Disposable } from '@studios/base';
import { CollabService, notebookMaxFrameBytes } from '@studios/collab';
import { RoleAbility } from '@studios/protocol';
import { isoTime } from '../../iso-time';
import type { Feature, FeatureContext, SocketRoute } from '../feature';
import { type FileRoutesHost, fileApiRoutes, fileContentRoutes, MAX_UPLOAD_BYTES } from './file-routes';

export interface CollabFeatureOptions {
  /** How far a file may lag behind its live document (≤ 1000 ms). */
  writeDebounceMs?: number;
}

/** The collab feature, with its service for other features and tests. */
export interface CollabFeature extends Feature {
  service: CollabService;
}

/**
 * Live documents (`WS /api/studios/:studioId/collab/:doc`, y-websocket protocol), the files
 * REST API, and `files` / `doc-saved` events. Every file operation runs inside the Studio
 * through its agent. Tree changes are watched per Studio from the first time anyone lists its
 * files, opens a document or changes a file, until the server stops or the Studio is deleted;
 * the watch follows the agent (never starting one by itself).
 */
export function collabFeature(options: CollabFeatureOptions = {}) {
  return (context: FeatureContext): CollabFeature => {
    const log = context.log.child({ feature: 'collab' });
    const { agents } = context;
    const service = new CollabService({
      dbPath: join(context.config.dataDir, 'collab.db'),
      clock: context.clock,
      log,
      ...(options.writeDebounceMs !== undefined ? { writeDebounceMs: options.writeDebounceMs } : {}),
    });
    const watches = new Map<string, Disposable>();
    const watch = (studioId: string) => {
      if (watches.has(studioId)) return;
      watches.set(
        studioId,
        agents.watch(
          studioId,
          (changes) => {
            context.events.publish(studioId, { type: 'files', changes });
            service.pathsChanged(
              studioId,
              changes.map((change) => change.path),
            );
          },
          // The agent was away (restart, Studio start/stop): browsers reload their tree.
          () => context.events.publish(studioId, { type: 'files', changes: [], resync: true }),
        ),
      );
    };
    const unwatch = (studioId: string) => {
      watches.get(studioId)?.dispose();
      watches.delete(studioId);
    };

    // A save follows every accepted edit within a second, so it doubles as the "someone is
    // editing" signal for idle sleep.
    const saved = service.onSaved(({ studioId, path, savedAt }) => {
      context.activity.touch(studioId, 'collab');
      context.events.publish(studioId, { type: 'doc-saved', path, savedAt: isoTime(savedAt.getTime()) });
    });

    const host: FileRoutesHost = {
      workspace: (studioId) => agents.files(studioId),
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
      // Notebooks with images are big: their rooms take a whole notebook in one frame; text rooms
      // refuse frames over COLLAB_MAX_FRAME_BYTES themselves.
      maxPayload: notebookMaxFrameBytes(),
      handle(ws, socket) {
        watch(socket.studioId);
        const connection = service.handleConnection(ws, {
          studioId: socket.studioId,
          files: agents.files(socket.studioId),
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
        unwatch(studioId);
        await service.deleteStudio(studioId);
      },
      async stop() {
        saved.dispose();
        for (const studioId of [...watches.keys()]) unwatch(studioId);
        await service.dispose();
      },
    };
  };
}
