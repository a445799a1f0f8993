import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  connectionInfo,
  notebookJson,
  outputsMatch,
  RUNS_MAP,
  roundPercentiles,
  runFinished,
} from './notebook-run';

function docWithCell(outputs: Array<Record<string, unknown>>): Y.Doc {
  const doc = new Y.Doc();
  const cell = new Y.Map<unknown>();
  cell.set('id', 'c');
  const list = new Y.Array<Y.Map<unknown>>();
  list.push(
    outputs.map((output) => {
      const map = new Y.Map<unknown>();
      for (const [key, value] of Object.entries(output)) map.set(key, value);
      return map;
    }),
  );
  cell.set('outputs', list);
  doc.getArray('cells').push([cell]);
  return doc;
}

const setRun = (doc: Y.Doc, runId: string, state: string) =>
  doc.getMap(RUNS_MAP).set('c', { runId, state, startedAt: null, endedAt: null });

describe('runFinished', () => {
  it('waits for a new run to reach ok with its outputs', () => {
    const doc = docWithCell([{ output_type: 'execute_result', data: { 'text/plain': '2' } }]);
    expect(runFinished(doc, 'c', undefined, { result: '2' })).toBe(false);
    setRun(doc, 'r1', 'running');
    expect(runFinished(doc, 'c', undefined, { result: '2' })).toBe(false);
    setRun(doc, 'r1', 'ok');
    expect(runFinished(doc, 'c', undefined, { result: '2' })).toBe(true);
    // The previous run's record does not count for the next execution.
    expect(runFinished(doc, 'c', 'r1', { result: '2' })).toBe(false);
  });

  it('counts stream characters across joined or split outputs', () => {
    const doc = docWithCell([
      { output_type: 'stream', name: 'stdout', text: 'xxx' },
      { output_type: 'stream', name: 'stdout', text: ['xx', '\n'] },
    ]);
    setRun(doc, 'r1', 'ok');
    expect(runFinished(doc, 'c', undefined, { streamChars: 6 })).toBe(true);
    expect(runFinished(doc, 'c', undefined, { streamChars: 7 })).toBe(false);
  });

  it('throws when the run ended otherwise than ok', () => {
    const doc = docWithCell([]);
    setRun(doc, 'r2', 'error');
    expect(() => runFinished(doc, 'c', undefined, {})).toThrow(/ended error/);
  });
});

describe('outputsMatch', () => {
  it('needs the expected execute_result', () => {
    expect(outputsMatch([], { result: '2' })).toBe(false);
    expect(
      outputsMatch([{ output_type: 'execute_result', data: { 'text/plain': '3' } }], { result: '2' }),
    ).toBe(false);
  });
});

describe('helpers', () => {
  it('summarises a round by p50 and p95', () => {
    expect(roundPercentiles([5, 1, 3, 2, 4])).toEqual({ p50: 3, p95: 4.8 });
  });

  it('builds a notebook of code cells and a connection file on consecutive ports', () => {
    const notebook = JSON.parse(notebookJson({ a: '1+1' }));
    expect(notebook.cells[0]).toMatchObject({ cell_type: 'code', id: 'a', source: '1+1', outputs: [] });
    const info = connectionInfo('0.0.0.0', 50000, 'k');
    expect([info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port]).toEqual([
      50000, 50001, 50002, 50003, 50004,
    ]);
    expect(info.key).toBe('k');
  });
});
