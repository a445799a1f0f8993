export type {
  Disposable,
  ExecOptions,
  ExecSession,
  RuntimeDriver,
  RuntimeEvent,
  RuntimeStatus,
  StudioSpec,
} from './driver';
