import type { Disposable, RuntimeDriver } from '@studios/runtime';
import { TerminalService, type TerminalServiceOptions } from '@studios/terminal';
import type { Feature } from '../feature';
import { terminalRoutes } from './terminal-routes';
import { terminalSocketRoute } from './terminal-socket';

/** What terminals tell idle sleep (the runtime feature's `activity` has this shape). */
export interface TerminalActivity {
  touch(studioId: string, source: string): void;
  connected(studioId: string, source: string): Disposable;
}

/** What the terminals feature needs from the runtime (the runtime feature has this shape). */
export interface TerminalRuntime {
  driver: RuntimeDriver;
  activity?: TerminalActivity;
}

export interface TerminalsFeatureOptions {
  /**
   * The runtime, owned by the runtime feature. A function is called at start(), after every
   * earlier feature was created: pass `keepFeature(runtimeFeature()).get`.
   */
  runtime: TerminalRuntime | (() => TerminalRuntime);
  /** Overrides for the terminal service (scrollback, flow-control limits…). */
  service?: Omit<TerminalServiceOptions, 'driver' | 'onActivity'>;
}

/** The feature plus its service, so other features (SSH, later) and tests can reach it. */
export interface TerminalsFeature extends Feature {
  /** The running service; throws before start(). */
  readonly service: TerminalService;
}

/** Source name under which terminals report activity to idle sleep. */
const ACTIVITY_SOURCE = 'terminal';

/**
 * Shared terminals: REST to list/create/rename/close, and the terminal socket. Terminals end
 * when their Studio stops or is deleted; they do not survive a server restart. Open terminal
 * sockets and terminal I/O keep the Studio awake.
 */
export function terminalsFeature(options: TerminalsFeatureOptions): () => TerminalsFeature {
  return () => {
    let runtime: TerminalRuntime | undefined;
    let service: TerminalService | undefined;
    let runtimeEvents: Disposable | undefined;
    const started = () => {
      if (!runtime || !service) throw new Error('The terminals feature has not started');
      return { driver: runtime.driver, activity: runtime.activity, service };
    };
    return {
      name: 'terminals',
      get service() {
        return started().service;
      },
      apiRoutes: terminalRoutes(started),
      sockets: [terminalSocketRoute(started)],
      start: async () => {
        const resolved = typeof options.runtime === 'function' ? options.runtime() : options.runtime;
        const running = new TerminalService({
          ...options.service,
          driver: resolved.driver,
          onActivity: (studioId) => resolved.activity?.touch(studioId, ACTIVITY_SOURCE),
        });
        runtime = resolved;
        service = running;
        // A Studio that stops takes its shells with it; tell their clients now.
        runtimeEvents = resolved.driver.onEvent(({ studioId, status }) => {
          if (status.state !== 'running' && status.state !== 'starting') running.closeStudio(studioId);
        });
      },
      onStudioDeleted: async (studioId) => service?.closeStudio(studioId, 'The Studio was deleted'),
      stop: async () => {
        runtimeEvents?.dispose();
        service?.dispose();
      },
    };
  };
}
