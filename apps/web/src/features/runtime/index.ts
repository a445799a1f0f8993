// Front door of features/runtime/ for other features: start/stop/machine controls, start
// progress and the idle warning.
export { RuntimeControls } from './RuntimeControls';
export type { RuntimeProgress } from './runtime-progress';
export { useIdleWarning } from './use-idle-warning';
