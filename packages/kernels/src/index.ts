// @studios/kernels: Jupyter kernels running inside Studios, driven by the server. The server
// composes a KernelManager (runtime driver + agent port dialer + record store); the rest is
// exported for tests and for code that speaks to one kernel. Named exports only (house rule 3).

export type { ConnectionStats, KernelActivity, KernelConnectionOptions } from './client/connection-options';
export type { ExecuteOptions, ExecuteResult } from './client/execution';
export { KernelConnection } from './client/kernel-connection';
export type { KernelChannel, KernelEndpoints } from './client/kernel-sockets';
export type { ConnectionInfo, KernelProcess } from './launch/kernel-process';
export { findKernelSpecs, type StudioKernelSpec, toKernelSpecList } from './launch/kernelspecs';
export { Kernel } from './manager/kernel';
export {
  DEFAULT_KERNEL_IDLE_SHUTDOWN_MS,
  KernelManager,
  type KernelManagerOptions,
} from './manager/kernel-manager';
export {
  InMemoryKernelRecordStore,
  type KernelRecord,
  KernelRecordJson,
  type KernelRecordStore,
} from './manager/kernel-record-store';
export type { ConnectionTuning } from './manager/kernel-session';
export {
  type KernelPortHandle,
  type KernelPortNumbers,
  type KernelPorts,
  RelayedKernelPorts,
  type StudioPortDialer,
} from './ports/kernel-ports';
export type { DisplayOutput, ExecuteEvent, NbOutput } from './wire/nbformat-output';
