import type { Disposable, RuntimeDriver } from '@studios/runtime';
import { TerminalService, type TerminalServiceOptions } from '@studios/terminal';
import type { Feature, FeatureContext } from '../feature';
import { terminalRoutes } from './terminal-routes';
import { terminalSocketRoute } from './terminal-socket';

export interface TerminalsFeatureOptions {
  /**
   * The runtime driver, owned by the runtime feature. A function is resolved when first needed
   * (at start), so the runtime feature may choose its driver in its own start().
   */
  driver: RuntimeDriver | (() => RuntimeDriver);
  /** Overrides for the terminal service (scrollback, flow-control limits…). */
  service?: Omit<TerminalServiceOptions, 'driver'>;
}

/**
 * Shared terminals: REST to list/create/rename/close, and the terminal socket. Terminals end
 * when their Studio stops or is deleted; they do not survive a server restart.
 */
export function terminalsFeature(options: TerminalsFeatureOptions) {
  return (context: FeatureContext): Feature & { readonly service: TerminalService } => {
    const resolveDriver = typeof options.driver === 'function' ? options.driver : () => driver;
    const driver = typeof options.driver === 'function' ? undefined : options.driver;
    // The service reaches the driver only when a terminal is created, after start().
    const lazyDriver = new Proxy({} as RuntimeDriver, {
      get: (_target, key) => Reflect.get(resolveDriver() as object, key),
    });
    const service = new TerminalService({ ...options.service, driver: lazyDriver });
    let runtimeEvents: Disposable | undefined;
    return {
      name: 'terminals',
      service,
      apiRoutes: terminalRoutes(service, resolveDriver as () => RuntimeDriver),
      sockets: [terminalSocketRoute(service)],
      start: async () => {
        runtimeEvents = (resolveDriver() as RuntimeDriver).onEvent(({ studioId, status }) => {
          if (status.state !== 'running' && status.state !== 'starting') service.closeStudio(studioId);
        });
      },
      onStudioDeleted: async (studioId) => service.closeStudio(studioId, 'The Studio was deleted'),
      stop: async () => {
        runtimeEvents?.dispose();
        service.dispose();
        context.log.debug('terminals stopped');
      },
    };
  };
}
