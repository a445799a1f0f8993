import type { FeatureFactory } from '../server';
import { agentsFeature } from './agents';
import { type CollabFeature, type CollabFeatureOptions, collabFeature } from './collab';
import { type NotebooksFeatureOptions, notebooksFeature } from './notebooks';
import { type RuntimeFeature, runtimeFeature } from './runtime';
import { sshFeature } from './ssh';
import { terminalsFeature } from './terminals';

export interface StandardFeaturesOptions {
  collab?: CollabFeatureOptions;
  notebooks?: Omit<NotebooksFeatureOptions, 'collab'>;
}

/**
 * Every feature of a Studios server, in order. Order matters: shutdown and Studio deletion run
 * in reverse, so kernels let go of their notebooks before collab flushes its documents through
 * the agents, and the agents end before the driver goes. Notebooks write through the collab
 * feature's service, which exists once the server has built the collab feature.
 */
export function standardFeatures(options: StandardFeaturesOptions = {}): FeatureFactory[] {
  let collab: CollabFeature | undefined;
  let runtime: RuntimeFeature | undefined;
  const createCollab = collabFeature(options.collab);
  const createRuntime = runtimeFeature();
  return [
    async (context) => {
      runtime = await createRuntime(context);
      return runtime;
    },
    agentsFeature(),
    (context) => {
      collab = createCollab(context);
      return collab;
    },
    terminalsFeature(),
    notebooksFeature({
      ...options.notebooks,
      collab: () => {
        if (!collab) throw new Error('the notebooks feature needs the collab feature before it');
        return collab.service;
      },
    }),
    sshFeature({
      runtime: () => {
        if (!runtime) throw new Error('the SSH feature needs the runtime feature before it');
        return runtime.controller;
      },
    }),
  ];
}
