import type { RuntimeDriver } from '@studios/runtime';
import type { Feature, FeatureContext } from '../feature';
import { chooseRuntimeDriver } from './choose-driver';
import { createRuntimeActivity, type RuntimeActivity } from './runtime-activity';
import { RuntimeController } from './runtime-controller';
import { runtimeRoutes } from './runtime-routes';

export type { RuntimeActivity } from './runtime-activity';
export { RuntimeController } from './runtime-controller';

/** The runtime feature, with what other features need from it. */
export interface RuntimeFeature extends Feature {
  driver: RuntimeDriver;
  controller: RuntimeController;
  activity: RuntimeActivity;
}

export interface RuntimeFeatureOptions {
  /** Use this driver instead of choosing one from the config (tests, embedding). */
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
    });
    return {
      name: 'runtime',
      driver,
      controller,
      activity: createRuntimeActivity(controller),
      routes: runtimeRoutes(controller),
      start: () => controller.reconcile(),
      onStudioDeleted: (studioId) => controller.remove(studioId),
      stop: async () => {
        await controller.dispose();
        await driver.dispose();
      },
    };
  };
}
