import type { Disposable } from '@studios/base';
import type { RuntimeDriver } from '@studios/runtime';
import type { Feature, FeatureContext } from '../feature';
import { runtimeActivitySink } from './runtime-activity';
import { RuntimeController } from './runtime-controller';
import { runtimeRoutes } from './runtime-routes';

export { chooseRuntimeDriver } from './choose-driver';
export { RuntimeController } from './runtime-controller';

/** The runtime feature, with what other features need from it. */
export interface RuntimeFeature extends Feature {
  driver: RuntimeDriver;
  controller: RuntimeController;
}

/**
 * Studio start/stop/machine routes, runtime state in the `studios` table and on the events
 * socket, reconcile on boot, idle sleep, and container removal when a Studio is deleted.
 */
export function runtimeFeature() {
  return async (context: FeatureContext): Promise<RuntimeFeature> => {
    const { driver } = context;
    const controller = new RuntimeController({
      driver,
      studios: context.studios,
      db: context.db,
      events: context.events,
      log: context.log,
      clock: context.clock,
      idleMinutes: context.config.idleMinutes,
    });
    let activitySubscription: Disposable | undefined;
    return {
      name: 'runtime',
      driver,
      controller,
      routes: runtimeRoutes(controller),
      start: async () => {
        activitySubscription = context.activity.subscribe(runtimeActivitySink(controller));
        await controller.reconcile();
      },
      onStudioDeleted: (studioId) => controller.remove(studioId),
      stop: async () => {
        activitySubscription?.dispose();
        // Disposing the driver first aborts a running image build, which would otherwise hold
        // shutdown for minutes; the start waiting on it ends in `error` and the next start retries.
        const driverDisposed = driver.dispose();
        await controller.dispose();
        await driverDisposed;
      },
    };
  };
}
