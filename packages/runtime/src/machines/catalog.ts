import { ErrorCode, MachineType } from '@studios/protocol';
import { z } from 'zod';
import { RuntimeError } from '../runtime-error';

/** The machine types a stock installation offers. */
export const DEFAULT_MACHINE_TYPES: readonly MachineType[] = Object.freeze([
  {
    id: 'cpu-small',
    label: '2 vCPU · 4 GB',
    cpus: 2,
    memoryMb: 4096,
    pids: 512,
    gpus: 0,
    image: 'studios/base:latest',
  },
  {
    id: 'cpu-large',
    label: '4 vCPU · 16 GB',
    cpus: 4,
    memoryMb: 16384,
    pids: 2048,
    gpus: 0,
    image: 'studios/base:latest',
  },
  {
    id: 'gpu-1',
    label: '8 vCPU · 32 GB · 1 GPU',
    cpus: 8,
    memoryMb: 32768,
    pids: 4096,
    gpus: 1,
    image: 'studios/gpu:latest',
  },
]);

/**
 * Images a machine type may name. The catalog is operator configuration, but a typo or a
 * hostile edit must not turn a Studio into an arbitrary image (DockerSpawner CVE-2023-48311).
 */
const STUDIO_IMAGE = /^studios\/[a-z0-9][a-z0-9._-]*:[A-Za-z0-9._-]+$/;

const CatalogFile = z
  .array(
    MachineType.extend({
      image: z.string().regex(STUDIO_IMAGE, 'Studio images are named studios/<name>:<tag>'),
    }),
  )
  .min(1)
  .superRefine((types, ctx) => {
    const seen = new Set<string>();
    for (const [index, type] of types.entries()) {
      if (seen.has(type.id))
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id ${type.id}` });
      seen.add(type.id);
    }
  });

/**
 * The machine types this installation offers. Everything that creates or changes a container
 * goes through `get(id)`: users choose an id, never limits, images, mounts or capabilities.
 */
export class MachineCatalog {
  readonly #types: ReadonlyMap<string, MachineType>;
  readonly defaultId: string;

  constructor(types: readonly MachineType[] = DEFAULT_MACHINE_TYPES) {
    const parsed = CatalogFile.parse(types);
    this.#types = new Map(parsed.map((type) => [type.id, Object.freeze({ ...type })]));
    this.defaultId = parsed[0]?.id ?? 'cpu-small';
  }

  /** Parses operator-supplied JSON (an array of machine types); throws with every problem listed. */
  static fromJson(json: string): MachineCatalog {
    return new MachineCatalog(CatalogFile.parse(JSON.parse(json)));
  }

  list(): MachineType[] {
    return [...this.#types.values()];
  }

  has(id: string): boolean {
    return this.#types.has(id);
  }

  /** The machine type with this id; `unknown_machine_type` otherwise. */
  get(id: string): MachineType {
    const type = this.#types.get(id);
    if (!type) {
      const known = [...this.#types.keys()].join(', ');
      throw new RuntimeError(
        ErrorCode.UnknownMachineType,
        `There is no machine type "${id}". Choose one of: ${known}.`,
      );
    }
    return type;
  }
}
