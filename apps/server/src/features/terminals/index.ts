export { keepFeature } from './keep-feature';
export {
  type TerminalActivity,
  type TerminalRuntime,
  type TerminalsFeature,
  type TerminalsFeatureOptions,
  terminalsFeature,
} from './terminals-feature';
