// @studios/kernels: Jupyter kernels running inside Studios, driven by the server.
// Named exports only (house rule 3).
export {
  type ConnectionStats,
  type ExecuteOptions,
  type ExecuteResult,
  type KernelActivity,
  KernelConnection,
  type KernelConnectionOptions,
} from './client/kernel-connection';
export type { KernelChannel, KernelEndpoints } from './client/kernel-sockets';
export {
  type KernelPortHandle,
  type KernelPortNumbers,
  type KernelPorts,
  RelayedKernelPorts,
  type StudioPortDialer,
} from './ports/kernel-ports';
export type { DisplayOutput, ExecuteEvent, NbOutput } from './wire/nbformat-output';
