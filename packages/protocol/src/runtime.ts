import { z } from 'zod';

/** Lifecycle of a Studio's container (or local process group). */
export const StudioState = z.enum(['stopped', 'starting', 'running', 'stopping', 'error']);
export type StudioState = z.infer<typeof StudioState>;

export const StudioRuntimeStatus = z.object({
  state: StudioState,
  /** Human-readable reason, always set when state is `error`; progress text while starting. */
  message: z.string().optional(),
  machineType: z.string(),
  /** ISO time at which the idle sleep will stop the Studio, when one is scheduled. */
  idleStopAt: z.string().optional(),
});
export type StudioRuntimeStatus = z.infer<typeof StudioRuntimeStatus>;

export const MachineTypeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'A machine type id is lowercase letters, digits and dashes');

export const MachineType = z.object({
  id: MachineTypeId,
  label: z.string(),
  cpus: z.number().positive(),
  memoryMb: z.number().int().positive(),
  pids: z.number().int().positive(),
  gpus: z.number().int().min(0),
  image: z.string(),
});
export type MachineType = z.infer<typeof MachineType>;

export const MachineSwitchBody = z.strictObject({ machineType: MachineTypeId });
export type MachineSwitchBody = z.infer<typeof MachineSwitchBody>;
