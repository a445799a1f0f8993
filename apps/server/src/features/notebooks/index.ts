export { type NotebooksFeature, type NotebooksFeatureOptions, notebooksFeature } from './notebooks-feature';
