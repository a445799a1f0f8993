import type { Feature, FeatureContext } from '../feature';

/**
 * Wraps a feature factory so later features can reach the feature it created (e.g. the
 * terminals feature needs the runtime feature's driver). Features are created in list order,
 * so `get()` works from a later feature's start() on.
 */
export function keepFeature<F extends Feature>(
  factory: (context: FeatureContext) => F | Promise<F>,
): {
  factory: (context: FeatureContext) => Promise<F>;
  get: () => F;
} {
  let created: F | undefined;
  return {
    factory: async (context) => {
      created = await factory(context);
      return created;
    },
    get: () => {
      if (!created) throw new Error('This feature has not been created yet; list it earlier');
      return created;
    },
  };
}
