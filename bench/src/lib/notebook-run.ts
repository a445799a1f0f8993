import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { quantileOfSorted } from './stats';

/** The notebook's run records (packages/protocol `NOTEBOOK_RUNS_MAP`): cell id → CellRun. */
export const RUNS_MAP = 'studios:runs';

/** The parts of a protocol `CellRun` the bench reads. */
export interface SeenRun {
  runId: string;
  state: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** What a finished execution must have produced to count as done (both sides check the same). */
export interface ExpectedOutput {
  /** `text/plain` of the execute_result, e.g. `'2'` for `1+1`. */
  result?: string;
  /** Characters of stream output (stdout), e.g. 1,000,001 for `print('x' * 1_000_000)`. */
  streamChars?: number;
}

/** An nbformat 4 notebook of code cells (id → source), as a `.ipynb` file's text. */
export function notebookJson(cells: Record<string, string>): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: Object.entries(cells).map(([id, source]) => ({
      cell_type: 'code',
      id,
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  });
}

/** The run record of a cell as a client's copy of the notebook holds it. */
export function runOf(doc: Y.Doc, cellId: string): SeenRun | undefined {
  return doc.getMap<SeenRun>(RUNS_MAP).get(cellId);
}

/** A cell's outputs as nbformat JSON, read from the shared document the way a browser does. */
export function outputsOf(doc: Y.Doc, cellId: string): Array<Record<string, unknown>> {
  const cell = doc
    .getArray<Y.Map<unknown>>('cells')
    .toArray()
    .find((candidate) => candidate.get('id') === cellId);
  const outputs = cell?.get('outputs');
  return outputs instanceof Y.Array ? (outputs.toJSON() as Array<Record<string, unknown>>) : [];
}

/** Does this set of nbformat outputs hold what the execution was expected to print? */
export function outputsMatch(
  outputs: ReadonlyArray<Record<string, unknown>>,
  expected: ExpectedOutput,
): boolean {
  if (expected.result !== undefined) {
    const result = outputs.find((output) => output.output_type === 'execute_result');
    const data = result?.data as Record<string, unknown> | undefined;
    if (data?.['text/plain'] !== expected.result) return false;
  }
  if (expected.streamChars !== undefined) {
    const chars = outputs
      .filter((output) => output.output_type === 'stream')
      .reduce((total, output) => total + textLength(output.text), 0);
    if (chars !== expected.streamChars) return false;
  }
  return true;
}

/**
 * Whether the client's copy shows a finished run of `cellId` other than `previousRunId`: its
 * record in `studios:runs` reached `ok` and the cell's outputs are all there.
 */
export function runFinished(
  doc: Y.Doc,
  cellId: string,
  previousRunId: string | undefined,
  expected: ExpectedOutput,
): boolean {
  const run = runOf(doc, cellId);
  if (!run || run.runId === previousRunId) return false;
  if (run.state !== 'ok') {
    if (run.state === 'queued' || run.state === 'running') return false;
    throw new Error(`cell ${cellId} ended ${run.state}`);
  }
  return outputsMatch(outputsOf(doc, cellId), expected);
}

/** p50 and p95 of one round's executions (R-7 quantiles, as the rest of the suite). */
export function roundPercentiles(values: readonly number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((left, right) => left - right);
  return { p50: quantileOfSorted(sorted, 0.5), p95: quantileOfSorted(sorted, 0.95) };
}

/** A Jupyter connection file (tcp) on fixed ports with a fresh HMAC key. */
export interface ConnectionInfo {
  transport: 'tcp';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

/** Kernel ports `base`…`base+4`: the kernel binds `ip`, the client dials the same ports. */
export function connectionInfo(
  ip: string,
  base: number,
  key = randomBytes(32).toString('hex'),
): ConnectionInfo {
  return {
    transport: 'tcp',
    ip,
    shell_port: base,
    iopub_port: base + 1,
    stdin_port: base + 2,
    control_port: base + 3,
    hb_port: base + 4,
    key,
    signature_scheme: 'hmac-sha256',
    kernel_name: 'python3',
  };
}

function textLength(text: unknown): number {
  if (typeof text === 'string') return text.length;
  // nbformat allows multiline strings as a list of lines.
  if (Array.isArray(text)) return text.reduce((total: number, line) => total + String(line).length, 0);
  return 0;
}
