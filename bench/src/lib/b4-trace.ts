import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** One edit of the trace: at `position`, delete `deleteCount` characters, then insert `insert`. */
export interface TracePatch {
  position: number;
  deleteCount: number;
  insert: string;
}

/** A real editing trace (josephg/editing-traces format), flattened to one patch per step. */
export interface EditingTrace {
  startContent: string;
  endContent: string;
  patches: TracePatch[];
}

/** Where the B4 trace (Kleppmann's automerge-paper) lives on machines set up for the suite. */
export const B4_TRACE_PATH = '/work/shared/data/editing-traces/automerge-paper.json.gz';

interface RawTrace {
  startContent: string;
  endContent: string;
  txns: Array<{ patches: Array<[number, number, string]> }>;
}

/** Parses a gzipped or plain JSON trace; each transaction's patches are applied in order. */
export function parseTrace(bytes: Uint8Array): EditingTrace {
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = Buffer.from(isGzip ? gunzipSync(bytes) : bytes).toString('utf8');
  const raw = JSON.parse(text) as RawTrace;
  const patches: TracePatch[] = [];
  for (const txn of raw.txns) {
    for (const [position, deleteCount, insert] of txn.patches)
      patches.push({ position, deleteCount, insert });
  }
  return { startContent: raw.startContent, endContent: raw.endContent, patches };
}

/** Reads and parses a trace file (default: B4). */
export async function loadTrace(path: string = B4_TRACE_PATH): Promise<EditingTrace> {
  return parseTrace(await readFile(path));
}

/** Minimal text surface a patch is applied to (a `Y.Text`, or a plain string model in tests). */
export interface PatchTarget {
  delete(index: number, length: number): void;
  insert(index: number, text: string): void;
}

/** Applies one trace patch: the delete first, then the insert at the same position. */
export function applyPatch(target: PatchTarget, patch: TracePatch): void {
  if (patch.deleteCount > 0) target.delete(patch.position, patch.deleteCount);
  if (patch.insert.length > 0) target.insert(patch.position, patch.insert);
}
