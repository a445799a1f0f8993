import type { ExecuteEvent } from '@studios/kernels';
import type { CellRun } from '@studios/protocol';

/** An nbformat v4 output object (`stream`, `display_data`, `execute_result`, `error`), already validated. */
export type NotebookOutput = { output_type: string } & Record<string, unknown>;

/**
 * What a kernel says while it runs one cell, already checked and shaped as nbformat outputs
 * (the kernels package's `ExecuteEvent`). An output's `displayId` is its
 * `transient.display_id`: a later `update_display_data` replaces it wherever it is shown.
 */
export type RunEvent = ExecuteEvent;

/** How one execution ended. `aborted`: the kernel skipped it (an earlier cell failed) or died. */
export interface RunResult {
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
}

/** The running kernel, as the runner uses it. */
export interface RunnerKernel {
  execute(
    code: string,
    options: { allowStdin: boolean; stopOnError: boolean; onEvent(event: RunEvent): void },
  ): Promise<RunResult>;
  /** Answers the pending `input()` prompt of the execution under way. */
  inputReply(value: string): void;
}

/**
 * The live notebook document, as the runner writes it: only the server writes outputs,
 * execution counts and runs, so the whole run is visible to everyone and outlives browsers.
 */
export interface RunnerDocument {
  /** Applies the changes `changes` makes as one update (everyone sees them at once). */
  batch(changes: () => void): void;
  /** The code cell's source now, or undefined when the notebook has no code cell with this id. */
  codeCellSource(cellId: string): string | undefined;
  run(cellId: string): CellRun | undefined;
  setRun(cellId: string, run: CellRun): void;
  setExecutionCount(cellId: string, count: number | null): void;
  /** Appends an output; consecutive stream text of one name is joined into one output. */
  appendOutput(cellId: string, output: NotebookOutput, displayId?: string): void;
  /** Clears the cell's outputs now, or (`wait`) just before its next output arrives. */
  clearOutputs(cellId: string, options?: { wait?: boolean }): void;
  /** Replaces every output shown under `displayId`, wherever it is. */
  updateDisplay(displayId: string, output: NotebookOutput): void;
}
