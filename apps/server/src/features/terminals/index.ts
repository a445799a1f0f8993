export { type TerminalsFeature, type TerminalsFeatureOptions, terminalsFeature } from './terminals-feature';
