import type { Disposable } from '@studios/base';
import { TerminalService, type TerminalServiceOptions } from '@studios/terminal';
import type { Feature, FeatureContext } from '../feature';
import { publishTerminalLists } from './terminal-list-events';
import { terminalRoutes } from './terminal-routes';
import { terminalSocketRoute } from './terminal-socket';

export interface TerminalsFeatureOptions {
  /** Overrides for the terminal service (scrollback, flow-control limits…). */
  service?: Omit<TerminalServiceOptions, 'driver' | 'onActivity'>;
}

/** The feature plus its service, so other features (SSH, later) and tests can reach it. */
export interface TerminalsFeature extends Feature {
  readonly service: TerminalService;
}

/** Source name under which terminals report activity to idle sleep. */
const ACTIVITY_SOURCE = 'terminal';

/**
 * Shared terminals: REST to list/create/rename/close, the terminal socket, and a `terminals`
 * event on the Studio's events socket whenever its list changes. Terminals end when their
 * Studio stops or is deleted; they do not survive a server restart. Terminal I/O (typing, and
 * output such as a training run's progress) keeps the Studio awake.
 */
export function terminalsFeature(
  options: TerminalsFeatureOptions = {},
): (context: FeatureContext) => TerminalsFeature {
  return (context) => {
    const { driver } = context;
    const service = new TerminalService({
      clock: context.clock,
      ...options.service,
      driver,
      onActivity: (studioId) => context.activity.touch(studioId, ACTIVITY_SOURCE),
    });
    let runtimeEvents: Disposable | undefined;
    const listEvents = publishTerminalLists(service, context.events);
    return {
      name: 'terminals',
      service,
      apiRoutes: terminalRoutes({ driver, service }),
      sockets: [terminalSocketRoute(service, driver)],
      start: async () => {
        // A Studio that stops takes its shells with it; tell their clients now.
        runtimeEvents = driver.onEvent(({ studioId, status }) => {
          if (status.state !== 'running' && status.state !== 'starting') service.closeStudio(studioId);
        });
      },
      onStudioDeleted: async (studioId) => service.closeStudio(studioId, 'The Studio was deleted'),
      stop: async () => {
        runtimeEvents?.dispose();
        listEvents.dispose();
        service.dispose();
      },
    };
  };
}
