import type { Clock } from '@studios/base';
import {
  type CellRun,
  type CellRunState,
  ErrorCode,
  type NotebookUser,
  StudiosError,
} from '@studios/protocol';
import { isoTime } from '../../iso-time';
import type { RunEvent, RunnerDocument, RunnerKernel } from './runner-ports';

interface QueuedRun {
  cellId: string;
  runId: string;
  /** The source as its author saw it when pressing Run: later edits do not change what runs. */
  code: string;
}

interface CurrentRun extends QueuedRun {
  kernel: RunnerKernel;
  interrupted: boolean;
}

export interface NotebookRunnerOptions {
  doc: RunnerDocument;
  /** The notebook's kernel, started when the first cell runs. Rejects with a StudiosError. */
  kernel(by: NotebookUser): Promise<RunnerKernel>;
  clock: Clock;
  newRunId(): string;
}

/**
 * Runs one notebook's cells, one at a time and in the order asked, on its shared kernel, and
 * writes everything that happens into the shared document: the queue, who ran what and when,
 * execution counts and outputs. The queue lives here rather than in the kernel's own shell
 * queue so that a cancelled or failed run is visible to everyone and the next cell runs the
 * source its author saw. As Jupyter does (`stop_on_error`), an error, an interrupt or a
 * restart cancels every cell queued behind it.
 */
export class NotebookRunner {
  readonly #options: NotebookRunnerOptions;
  #queue: QueuedRun[] = [];
  #current: CurrentRun | undefined;
  #pumping = false;

  constructor(options: NotebookRunnerOptions) {
    this.#options = options;
  }

  get busy(): boolean {
    return this.#current !== undefined || this.#queue.length > 0;
  }

  /**
   * Queues the code cells among `cellIds` (markdown and raw cells are skipped, as Run all
   * does) and returns how many were queued. Unknown ids are refused before anything queues.
   */
  enqueue(cellIds: readonly string[], by: NotebookUser): number {
    const { doc } = this.#options;
    const runs: QueuedRun[] = [];
    for (const cellId of cellIds) {
      const code = doc.codeCellSource(cellId);
      if (code === undefined) continue;
      runs.push({ cellId, code, runId: this.#options.newRunId() });
    }
    const queuedAt = this.#now();
    for (const run of runs) {
      this.#queue.push(run);
      doc.setRun(run.cellId, {
        runId: run.runId,
        state: 'queued',
        by,
        queuedAt,
        startedAt: null,
        endedAt: null,
        executionCount: null,
        input: null,
      });
    }
    void this.#pump(by);
    return runs.length;
  }

  /** Marks the run under way as interrupted (the kernel was asked to stop it) and cancels the queue. */
  interrupted(): void {
    if (this.#current) this.#current.interrupted = true;
    this.cancelQueued();
  }

  /** Cancels every queued run (not the one under way). */
  cancelQueued(): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const run of queue) this.#finish(run, 'cancelled', null);
  }

  /**
   * Ends the bookkeeping of the run under way after its kernel went away (restart, shutdown,
   * death): its execute will never complete normally.
   */
  kernelGone(): void {
    this.cancelQueued();
    const current = this.#current;
    if (current) this.#finish(current, 'interrupted', null);
  }

  /** Answers an `input()` prompt: only the person who ran the cell may, and only the current prompt. */
  answerInput(cellId: string, runId: string, userId: string, value: string): void {
    const current = this.#current;
    const run = this.#options.doc.run(cellId);
    if (!current || current.cellId !== cellId || current.runId !== runId || !run?.input) {
      throw new StudiosError(ErrorCode.KernelNotRunning, 'That cell is no longer waiting for input');
    }
    if (run.input.forUserId !== userId) {
      throw new StudiosError(
        ErrorCode.Forbidden,
        `Only ${run.by.name}, who ran this cell, can answer its prompt`,
      );
    }
    this.#options.doc.setRun(cellId, { ...run, input: null });
    current.kernel.inputReply(value);
  }

  async #pump(by: NotebookUser): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        let kernel: RunnerKernel;
        try {
          kernel = await this.#options.kernel(by);
        } catch {
          // The kernel's state in the document says why it could not start.
          this.#finish(next, 'cancelled', null);
          this.cancelQueued();
          continue;
        }
        // An interrupt or restart while the kernel started may have cancelled this run already.
        if (this.#options.doc.run(next.cellId)?.runId !== next.runId) continue;
        await this.#execute({ ...next, kernel, interrupted: false });
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #execute(run: CurrentRun): Promise<void> {
    const { doc } = this.#options;
    this.#current = run;
    doc.batch(() => {
      this.#update(run, { state: 'running', startedAt: this.#now() });
      doc.clearOutputs(run.cellId);
      doc.setExecutionCount(run.cellId, null);
    });
    let state: CellRunState = 'error';
    let count: number | null = null;
    try {
      const result = await run.kernel.execute(run.code, {
        allowStdin: true,
        // One cell at a time: the runner cancels what is queued behind an error itself. The
        // kernel's own stop_on_error would also abort a request that arrives just after one.
        stopOnError: false,
        onEvent: (event) => {
          if (this.#current === run) this.#apply(run, event);
        },
      });
      count = result.executionCount;
      state = run.interrupted
        ? 'interrupted'
        : result.status === 'ok'
          ? 'ok'
          : result.status === 'error'
            ? 'error'
            : 'cancelled';
    } catch {
      state = run.interrupted ? 'interrupted' : 'cancelled';
    }
    if (this.#current !== run) return; // kernelGone() already ended it
    this.#finish(run, state, count);
    if (state !== 'ok') this.cancelQueued();
  }

  #apply(run: CurrentRun, event: RunEvent): void {
    const { doc } = this.#options;
    switch (event.type) {
      case 'output':
        doc.appendOutput(run.cellId, event.output, event.displayId);
        return;
      case 'clear_output':
        doc.clearOutputs(run.cellId, { wait: event.wait });
        return;
      case 'update_display_data':
        doc.updateDisplay(event.displayId, event.output);
        return;
      case 'input_request': {
        const by = doc.run(run.cellId)?.by;
        if (!by) return;
        this.#update(run, { input: { prompt: event.prompt, password: event.password, forUserId: by.id } });
        return;
      }
    }
  }

  #finish(run: QueuedRun, state: CellRunState, executionCount: number | null): void {
    if (this.#current?.runId === run.runId) this.#current = undefined;
    const patch: Partial<CellRun> = { state, endedAt: this.#now(), input: null };
    this.#options.doc.batch(() => {
      if (executionCount !== null) {
        patch.executionCount = executionCount;
        this.#options.doc.setExecutionCount(run.cellId, executionCount);
      }
      this.#update(run, patch);
    });
  }

  /** Changes the cell's run record, unless a newer run of the cell replaced it. */
  #update(run: QueuedRun, patch: Partial<CellRun>): void {
    const { doc } = this.#options;
    const current = doc.run(run.cellId);
    if (current?.runId !== run.runId) return;
    doc.setRun(run.cellId, { ...current, ...patch });
  }

  #now(): string {
    return isoTime(this.#options.clock.now());
  }
}
