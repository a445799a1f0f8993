import type { MachineType } from '@studios/protocol';

/** Human label of a machine type, e.g. "Small · 2 CPU · 4 GB". */
export function machineLabel(type: MachineType): string {
  const memory =
    type.memoryMb >= 1024 ? `${Math.round((type.memoryMb / 1024) * 10) / 10} GB` : `${type.memoryMb} MB`;
  const gpu = type.gpus > 0 ? ` · ${type.gpus} GPU` : '';
  return `${type.label} · ${type.cpus} CPU · ${memory}${gpu}`;
}
