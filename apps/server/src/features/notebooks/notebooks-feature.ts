import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Disposable } from '@studios/base';
import type { CollabService } from '@studios/collab';
import { KernelManager, RelayedKernelPorts } from '@studios/kernels';
import type { Feature, FeatureContext } from '../feature';
import { notebookOpener } from './notebook-document';
import { notebookRoutes } from './notebook-routes';
import { NotebookService } from './notebook-service';
import { SqliteKernelRecords } from './sqlite-kernel-records';

export interface NotebooksFeatureOptions {
  /** The collab feature's service, which holds notebooks open for the server's own writes. */
  collab: () => CollabService;
  /** Shut a kernel down after this long without running anything; 0 never. Default: the config's. */
  idleShutdownMs?: number;
}

/** The feature plus its parts, for tests. */
export interface NotebooksFeature extends Feature {
  readonly service: NotebookService;
  readonly kernels: KernelManager;
}

/**
 * Notebooks run by real kernels inside the Studio: REST to run cells and drive kernels; what
 * happens is written into the notebook's shared document by the server only. Kernels start
 * through the runtime driver as the Studio user and are reached through the Studio's agent;
 * they outlive a server restart (reattached on start) and end when their Studio stops. A busy
 * kernel keeps its Studio awake.
 */
export function notebooksFeature(options: NotebooksFeatureOptions) {
  return (context: FeatureContext): NotebooksFeature => {
    const log = context.log.child({ feature: 'notebooks' });
    const { driver, agents } = context;
    // The relays' Unix sockets: only the server's user may connect to a kernel through them.
    const relayFolder = join(context.config.dataDir, 'kernel-relays');
    mkdirSync(relayFolder, { recursive: true, mode: 0o700 });
    let service: NotebookService | undefined;
    const ports = new RelayedKernelPorts({
      folder: relayFolder,
      dial: (studioId, port) => agents.files(studioId).connectPort(port),
      log,
    });
    const kernels = new KernelManager({
      driver,
      ports,
      store: new SqliteKernelRecords(context.db),
      clock: context.clock,
      log,
      idleShutdownMs: options.idleShutdownMs ?? context.config.kernelIdleMinutes * 60_000,
      onBusyChange: (studioId, path, busy) => context.activity.setBusy(studioId, `kernel:${path}`, busy),
      onStateChange: (studioId, path, state) => service?.kernelStateChanged(studioId, path, state),
    });
    service = new NotebookService({
      kernels,
      open: notebookOpener(options.collab, (studioId) => agents.files(studioId)),
      clock: context.clock,
      log,
    });
    const notebooks = service;
    let runtimeEvents: Disposable | undefined;
    return {
      name: 'notebooks',
      service: notebooks,
      kernels,
      apiRoutes: notebookRoutes({ driver, commands: notebooks }),
      start: async () => {
        // A Studio that stops takes its kernels with it.
        runtimeEvents = driver.onEvent(({ studioId, status }) => {
          if (status.state !== 'running' && status.state !== 'starting') {
            void notebooks.closeStudio(studioId).catch(() => {});
          }
        });
        // In the background: reaching a Studio's kernels may wait on its agent, and the server
        // need not wait for that to serve everyone else.
        // Runs clearing what a killed server left behind first; starts wait for it.
        void kernels
          .reattach()
          .then(({ reattached, forgotten }) => {
            if (reattached + forgotten > 0) log.info('kernels after restart', { reattached, forgotten });
          })
          .catch((error: unknown) => log.warn('kernel reattach failed', { error: String(error) }));
      },
      onStudioDeleted: (studioId) => notebooks.closeStudio(studioId),
      stop: async () => {
        runtimeEvents?.dispose();
        notebooks.dispose();
        // Kernels keep running: the next server reattaches to them.
        kernels.dispose();
      },
    };
  };
}
