export { type CollabFeature, type CollabFeatureOptions, collabFeature } from './collab-feature';
