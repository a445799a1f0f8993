import type { ActivitySink } from '../../services/studio-activity';
import type { RuntimeController } from './runtime-controller';

/** Feeds what the other channels report (services/studio-activity.ts) into idle sleep. */
export function runtimeActivitySink(controller: RuntimeController): ActivitySink {
  return {
    touch: (studioId, source) => controller.idle?.touch(studioId, source),
    setBusy: (studioId, source, busy) => controller.idle?.setBusy(studioId, source, busy),
  };
}
