import { ErrorCode, type KernelSpec, type KernelSpecList, StudiosError } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { z } from 'zod';
import { lastJsonLine, runInStudio } from './run-in-studio';

/**
 * Lists kernelspecs the way Jupyter does (jupyter_client's KernelSpecManager, which also offers
 * ipykernel's own `python3` when ipykernel is installed), printed as one JSON line.
 * https://jupyter-client.readthedocs.io/en/stable/kernels.html#kernel-specs
 */
const LIST_KERNELSPECS = `
import json
try:
    from jupyter_client.kernelspec import KernelSpecManager
except Exception as error:
    print(json.dumps({"error": "jupyter_client is not installed (%s)" % error}))
    raise SystemExit(0)
specs = {}
for name, found in KernelSpecManager().get_all_specs().items():
    spec = found.get("spec", {})
    specs[name] = {
        "argv": spec.get("argv"),
        "display_name": spec.get("display_name", name),
        "language": spec.get("language", ""),
        "interrupt_mode": spec.get("interrupt_mode", "signal"),
        "env": spec.get("env", {}),
    }
print(json.dumps({"kernelspecs": specs}))
`;

const SpecName = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/);

/** A kernelspec as found in the Studio: what to run (`argv`) and how to interrupt it. */
export const StudioKernelSpec = z.object({
  argv: z.array(z.string().max(4096)).min(1).max(256),
  display_name: z.string().max(256),
  language: z.string().max(128),
  interrupt_mode: z.enum(['signal', 'message']).catch('signal'),
  env: z.record(z.string().max(256), z.string().max(64 * 1024)).catch({}),
});
export type StudioKernelSpec = z.infer<typeof StudioKernelSpec> & { name: string };

const Listing = z.union([
  z.object({ kernelspecs: z.record(z.string(), z.unknown()) }),
  z.object({ error: z.string().max(4096) }),
]);

/** The kernel a notebook without its own kernelspec starts, when the Studio has it. */
export const PREFERRED_DEFAULT_KERNEL = 'python3';

/**
 * Every valid kernelspec of the Studio (invalid ones are skipped: the Studio's user wrote them).
 * Throws `kernel_unavailable` when Python or jupyter_client is missing or there is none.
 */
export async function findKernelSpecs(driver: RuntimeDriver, studioId: string): Promise<StudioKernelSpec[]> {
  const result = await runInStudio(driver, studioId, ['python3', '-c', LIST_KERNELSPECS]).catch(
    (error: unknown) => {
      throw unavailable(
        `Could not look for kernels in the Studio: ${error instanceof Error ? error.message : error}`,
      );
    },
  );
  const listing = Listing.safeParse(lastJsonLine(result.stdout));
  if (!listing.success) {
    throw unavailable(
      result.code === 127
        ? 'The Studio has no python3. Install Python and ipykernel to run notebooks.'
        : `Could not list the Studio's kernels: ${result.stderr.trim().slice(-500) || 'unexpected output'}`,
    );
  }
  if ('error' in listing.data) throw unavailable(`${listing.data.error}. Run: pip install ipykernel`);
  const specs: StudioKernelSpec[] = [];
  for (const [name, raw] of Object.entries(listing.data.kernelspecs)) {
    const spec = StudioKernelSpec.safeParse(raw);
    if (SpecName.safeParse(name).success && spec.success) specs.push({ ...spec.data, name });
  }
  if (specs.length === 0) throw unavailable('The Studio has no Jupyter kernel. Run: pip install ipykernel');
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}

/** The browser's view of the Studio's kernelspecs (protocol `KernelSpecList`). */
export function toKernelSpecList(specs: readonly StudioKernelSpec[]): KernelSpecList {
  const preferred = specs.find((spec) => spec.name === PREFERRED_DEFAULT_KERNEL) ?? specs[0];
  return { default: preferred?.name ?? null, kernelspecs: specs.map(toKernelSpec) };
}

export function toKernelSpec(spec: StudioKernelSpec): KernelSpec {
  return { name: spec.name, displayName: spec.display_name, language: spec.language };
}

function unavailable(message: string): StudiosError {
  return new StudiosError(ErrorCode.KernelUnavailable, message);
}
