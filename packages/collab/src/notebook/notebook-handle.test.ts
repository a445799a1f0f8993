import type * as nbformat from '@jupyterlab/nbformat';
import { NOTEBOOK_RUNS_MAP } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NotebookHandle } from './notebook-handle';
import { writeNotebook } from './notebook-schema';

/** A handle on an in-memory notebook with one code cell `c1` (rooms are tested with sockets elsewhere). */
function handleOn(maxBytes = Number.POSITIVE_INFINITY) {
  const doc = new Y.Doc();
  const cell: nbformat.ICodeCell = {
    cell_type: 'code',
    id: 'c1',
    source: 'print(1)',
    metadata: {},
    outputs: [],
    execution_count: null,
  };
  writeNotebook(doc, { cells: [cell], metadata: {}, nbformat: 4, nbformat_minor: 5 });
  let released = 0;
  const handle = new NotebookHandle(
    {
      doc,
      path: 'nb.ipynb',
      transactAsServer: (change) => doc.transact(change),
      wouldExceedSize: (bytes) => bytes > maxBytes,
      flush: async () => {},
    },
    () => {
      released += 1;
    },
  );
  return { doc, handle, released: () => released };
}

const stdout = (text: string): nbformat.IOutput => ({ output_type: 'stream', name: 'stdout', text });

describe('NotebookHandle', () => {
  it('coalesces consecutive stream outputs of one name and applies carriage returns', () => {
    const { handle } = handleOn();
    handle.appendOutput('c1', stdout('a\n'));
    handle.appendOutput('c1', stdout('10%\r'));
    handle.appendOutput('c1', stdout('20%\r'));
    handle.appendOutput('c1', stdout('done\n'));
    handle.appendOutput('c1', { output_type: 'stream', name: 'stderr', text: 'warn\n' });
    expect(handle.outputs('c1')).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['a\n', 'done\n'] },
      { output_type: 'stream', name: 'stderr', text: ['warn\n'] },
    ]);
  });

  it('clears now, or on the next output with wait', () => {
    const { handle } = handleOn();
    handle.appendOutput('c1', stdout('old\n'));
    handle.clearOutputs('c1', { wait: true });
    expect(handle.outputs('c1')).toHaveLength(1);
    handle.appendOutput('c1', stdout('new\n'));
    expect(handle.outputs('c1')).toEqual([{ output_type: 'stream', name: 'stdout', text: ['new\n'] }]);
    handle.clearOutputs('c1');
    expect(handle.outputs('c1')).toEqual([]);
  });

  it('updates every output showing a display id', () => {
    const { handle } = handleOn();
    const shown = (text: string): nbformat.IOutput => ({
      output_type: 'display_data',
      data: { 'text/plain': text },
      metadata: {},
    });
    handle.appendOutput('c1', shown('v1'), 'd1');
    handle.appendOutput('c1', stdout('between\n'));
    handle.appendOutput('c1', shown('v1'), 'd1');
    expect(handle.updateDisplay('d1', { 'text/plain': 'v2' })).toBe(2);
    expect(handle.outputs('c1')?.filter((output) => output.output_type === 'display_data')).toEqual([
      { output_type: 'display_data', data: { 'text/plain': ['v2'] }, metadata: {} },
      { output_type: 'display_data', data: { 'text/plain': ['v2'] }, metadata: {} },
    ]);
    handle.clearOutputs('c1');
    expect(handle.updateDisplay('d1', { 'text/plain': 'v3' })).toBe(0);
  });

  it('sets execution counts, runs and kernel state, and finds cells', () => {
    const { doc, handle, released } = handleOn();
    expect(handle.setExecutionCount('c1', 3)).toBe(true);
    expect(handle.setExecutionCount('nope', 3)).toBe(false);
    expect(handle.appendOutput('nope', stdout('x'))).toBe('cell-not-found');
    expect(handle.findCell('c1')).toEqual({ id: 'c1', index: 0, cellType: 'code', source: 'print(1)' });
    const run = {
      runId: 'r',
      state: 'running' as const,
      by: { id: 'u', name: 'U' },
      queuedAt: 'now',
      startedAt: null,
      endedAt: null,
      executionCount: null,
      input: null,
    };
    handle.setRun('c1', run);
    expect(doc.getMap(NOTEBOOK_RUNS_MAP).get('c1')).toEqual(run);
    handle.setKernelState({ status: 'idle', spec: null, message: null, startedAt: null, startedBy: null });
    expect(handle.kernelState()?.status).toBe('idle');
    handle.dispose();
    handle.dispose();
    expect(released()).toBe(1);
  });

  it('refuses outputs past the size limit', () => {
    const { handle } = handleOn(100);
    expect(handle.appendOutput('c1', stdout('x'.repeat(200)))).toBe('notebook-full');
    expect(handle.outputs('c1')).toEqual([]);
  });
});
