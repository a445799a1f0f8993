import type { Disposable } from '@studios/base';
import type { Feature, FeatureContext } from '../feature';

/**
 * The Studio agents' lifecycle: agents follow their Studio's state (an agent in a stopped
 * Studio's sandbox moves into the Studio when it starts) and go when their Studio is deleted.
 * List it after the runtime feature and before the features that write through agents:
 * deletion hooks, like shutdown, run in reverse order, so documents close before their agent
 * ends, and the agent ends before the container goes.
 */
export function agentsFeature() {
  return ({ driver, agents }: FeatureContext): Feature => {
    let subscription: Disposable | undefined;
    return {
      name: 'agents',
      async start() {
        subscription = driver.onEvent(({ studioId, status }) =>
          agents.studioStateChanged(studioId, status.state),
        );
      },
      onStudioDeleted: (studioId) => agents.forget(studioId),
      async stop() {
        subscription?.dispose();
      },
    };
  };
}
