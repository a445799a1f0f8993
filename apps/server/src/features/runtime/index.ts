import type { Disposable } from '@studios/base';
import type { RuntimeDriver } from '@studios/runtime';
import type { Feature, FeatureContext } from '../feature';
import { chooseRuntimeDriver } from './choose-driver';
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

export interface RuntimeFeatureOptions {
  /**
   * The driver, created by the composition root and shared with the terminals feature (and
   * later kernels and SSH); chosen from the config when absent.
   */
  driver?: RuntimeDriver;
}

/**
 * Studio start/stop/machine routes, runtime state in the `studios` table and on the events
 * socket, reconcile on boot, idle sleep, and container removal when a Studio is deleted.
 */
export function runtimeFeature(options: RuntimeFeatureOptions = {}) {
  return async (context: FeatureContext): Promise<RuntimeFeature> => {
    const driver = options.driver ?? (await chooseRuntimeDriver(context.config, context.log));
    const controller = new RuntimeController({
      driver,
      studios: context.studios,
      db: context.db,
      events: context.events,
      log: context.log,
      clock: context.clock,
      idleMinutes: context.config.idleMinutes,
      workspaceOwner: context.config.workspaceOwner,
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
