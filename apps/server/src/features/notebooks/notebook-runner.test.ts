import type { CellRun } from '@studios/protocol';
import { FakeClock, waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { NotebookRunner } from './notebook-runner';
import type { NotebookOutput, RunEvent, RunnerDocument, RunnerKernel, RunResult } from './runner-ports';

const ada = { id: 'u-ada', name: 'Ada' };
const bob = { id: 'u-bob', name: 'Bob' };

/** A notebook in memory: code cells by id, runs and outputs as the runner wrote them. */
class MemoryNotebook implements RunnerDocument {
  readonly sources = new Map<string, string>();
  readonly runs = new Map<string, CellRun>();
  readonly outputs = new Map<string, NotebookOutput[]>();
  readonly counts = new Map<string, number | null>();
  batch = (changes: () => void) => changes();
  codeCellSource = (cellId: string) => this.sources.get(cellId);
  run = (cellId: string) => this.runs.get(cellId);
  setRun = (cellId: string, run: CellRun) => void this.runs.set(cellId, run);
  setExecutionCount = (cellId: string, count: number | null) => void this.counts.set(cellId, count);
  appendOutput = (cellId: string, output: NotebookOutput) =>
    void this.outputs.set(cellId, [...(this.outputs.get(cellId) ?? []), output]);
  clearOutputs = (cellId: string) => void this.outputs.set(cellId, []);
  updateDisplay = () => {};
}

/** A kernel whose executions the test finishes by hand. */
class ScriptedKernel implements RunnerKernel {
  readonly started: Array<{ code: string; onEvent(event: RunEvent): void; finish(result: RunResult): void }> =
    [];
  readonly replies: string[] = [];
  count = 0;
  execute(code: string, options: { onEvent(event: RunEvent): void }): Promise<RunResult> {
    return new Promise((resolve) => this.started.push({ code, onEvent: options.onEvent, finish: resolve }));
  }
  inputReply(value: string): void {
    this.replies.push(value);
  }
}

function setUp(cells: Record<string, string>) {
  const doc = new MemoryNotebook();
  for (const [id, source] of Object.entries(cells)) doc.sources.set(id, source);
  const kernel = new ScriptedKernel();
  let ids = 0;
  const runner = new NotebookRunner({
    doc,
    kernel: async () => kernel,
    clock: new FakeClock(),
    newRunId: () => `run-${++ids}`,
  });
  return { doc, kernel, runner };
}

describe('NotebookRunner', () => {
  it('runs cells one at a time in order and records who ran them and the count', async () => {
    const { doc, kernel, runner } = setUp({ a: '1+1', b: 'print(2)' });
    expect(runner.enqueue(['a', 'b'], ada)).toBe(2);
    expect(doc.runs.get('b')?.state).toBe('queued');
    await waitFor(() => expect(kernel.started).toHaveLength(1));
    expect(doc.runs.get('a')?.state).toBe('running');
    kernel.started[0]?.onEvent({
      type: 'output',
      output: {
        output_type: 'execute_result',
        data: { 'text/plain': '2' },
        metadata: {},
        execution_count: 1,
      },
    });
    kernel.started[0]?.finish({ status: 'ok', executionCount: 1 });
    await waitFor(() => expect(kernel.started).toHaveLength(2));
    expect(kernel.started[1]?.code).toBe('print(2)');
    expect(doc.runs.get('a')).toMatchObject({ state: 'ok', by: ada, executionCount: 1 });
    expect(doc.counts.get('a')).toBe(1);
    expect(doc.outputs.get('a')).toHaveLength(1);
  });

  it('runs the source as it was when Run was pressed', async () => {
    const { doc, kernel, runner } = setUp({ a: 'x = 1' });
    runner.enqueue(['a'], ada);
    doc.sources.set('a', 'x = 2');
    await waitFor(() => expect(kernel.started[0]?.code).toBe('x = 1'));
  });

  it('skips markdown cells and unknown ids', () => {
    const { runner } = setUp({ a: '1' });
    expect(runner.enqueue(['md', 'a'], ada)).toBe(1);
  });

  it('cancels the queue behind a failed cell', async () => {
    const { doc, kernel, runner } = setUp({ a: '1/0', b: '2' });
    runner.enqueue(['a', 'b'], ada);
    await waitFor(() => expect(kernel.started).toHaveLength(1));
    kernel.started[0]?.finish({ status: 'error', executionCount: 1 });
    await waitFor(() => expect(doc.runs.get('b')?.state).toBe('cancelled'));
    expect(doc.runs.get('a')?.state).toBe('error');
    expect(kernel.started).toHaveLength(1);
  });

  it('marks an interrupted run and cancels the rest', async () => {
    const { doc, kernel, runner } = setUp({ a: 'sleep', b: '2' });
    runner.enqueue(['a', 'b'], ada);
    await waitFor(() => expect(kernel.started).toHaveLength(1));
    runner.interrupted();
    expect(doc.runs.get('b')?.state).toBe('cancelled');
    kernel.started[0]?.finish({ status: 'error', executionCount: 1 });
    await waitFor(() => expect(doc.runs.get('a')?.state).toBe('interrupted'));
  });

  it('sends input() prompts to the person who ran the cell only', async () => {
    const { doc, kernel, runner } = setUp({ a: 'input()' });
    runner.enqueue(['a'], ada);
    await waitFor(() => expect(kernel.started).toHaveLength(1));
    kernel.started[0]?.onEvent({ type: 'input_request', prompt: 'name?', password: false });
    const run = doc.runs.get('a') as CellRun;
    expect(run.input).toEqual({ prompt: 'name?', password: false, forUserId: ada.id });
    expect(() => runner.answerInput('a', run.runId, bob.id, 'x')).toThrow(/Only Ada/);
    expect(() => runner.answerInput('a', 'old-run', ada.id, 'x')).toThrow(/no longer waiting/);
    runner.answerInput('a', run.runId, ada.id, 'Ada');
    expect(kernel.replies).toEqual(['Ada']);
    expect(doc.runs.get('a')?.input).toBeNull();
  });

  it('ends the run under way when its kernel goes away', async () => {
    const { doc, kernel, runner } = setUp({ a: 'sleep', b: '2' });
    runner.enqueue(['a', 'b'], ada);
    await waitFor(() => expect(kernel.started).toHaveLength(1));
    runner.kernelGone();
    expect(doc.runs.get('a')?.state).toBe('interrupted');
    expect(doc.runs.get('b')?.state).toBe('cancelled');
    expect(runner.busy).toBe(false);
  });

  it('cancels what it cannot run when the kernel does not start', async () => {
    const doc = new MemoryNotebook();
    doc.sources.set('a', '1');
    const runner = new NotebookRunner({
      doc,
      kernel: () => Promise.reject(new Error('no kernel')),
      clock: new FakeClock(),
      newRunId: () => 'run-1',
    });
    runner.enqueue(['a'], ada);
    await waitFor(() => expect(doc.runs.get('a')?.state).toBe('cancelled'));
  });
});
