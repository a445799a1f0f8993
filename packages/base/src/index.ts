// @studios/base: the building blocks every package and app uses, with no dependencies and no
// DOM or Node types (like VS Code's vs/base/common). Named exports only (house rule 3).
export { type Clock, systemClock } from './clock';
export { type Disposable, DisposableStore, toDisposable } from './disposable';
export { ListenerSet } from './listener-set';
export { type LogFields, type Logger, silentLogger } from './logger';
