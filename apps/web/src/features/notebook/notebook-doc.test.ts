import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  cellId,
  cellKind,
  cellOutputs,
  createCellMap,
  deleteCells,
  insertCell,
  moveCell,
  notebookLanguage,
  openNotebookDoc,
  readKernel,
  readRun,
  setCellsKind,
} from './notebook-doc';

function notebook(...ids: string[]) {
  const nb = openNotebookDoc(new Y.Doc());
  nb.cells.push(
    ids.map((id) =>
      createCellMap({
        id,
        kind: 'code',
        source: `print("${id}")`,
        outputs: [{ output_type: 'stream', name: 'stdout', text: `${id}\n` }],
        executionCount: 1,
      }),
    ),
  );
  nb.undo.clear();
  return nb;
}
const ids = (nb: ReturnType<typeof notebook>) => nb.cells.toArray().map(cellId);

describe('the notebook document', () => {
  it('builds cells in the YNotebook schema', () => {
    const nb = notebook('a');
    const cell = nb.cells.get(0);
    expect(cell.get('source')).toBeInstanceOf(Y.Text);
    expect(cell.get('metadata')).toBeInstanceOf(Y.Map);
    expect(cell.get('outputs')).toBeInstanceOf(Y.Array);
    expect(cell.get('execution_count')).toBe(1);
    expect(cellOutputs(cell)).toEqual([{ output_type: 'stream', name: 'stdout', text: 'a\n' }]);
  });

  it('inserts, deletes and moves cells, and undoes those operations only', () => {
    const nb = notebook('a', 'b', 'c');
    const added = insertCell(nb, 'below', 'a');
    expect(ids(nb)).toEqual(['a', added, 'b', 'c']);
    deleteCells(nb, ['b', 'c']);
    expect(ids(nb)).toEqual(['a', added]);
    nb.undo.undo();
    expect(ids(nb)).toEqual(['a', added, 'b', 'c']);
    moveCell(nb, 'a', 3);
    expect(ids(nb)).toEqual([added, 'b', 'c', 'a']);
    expect(cellOutputs(nb.cells.get(3))).toEqual([{ output_type: 'stream', name: 'stdout', text: 'a\n' }]);
    nb.undo.undo();
    expect(ids(nb)).toEqual(['a', added, 'b', 'c']);
    // Typing is the editor's to undo, not the notebook's.
    (nb.cells.get(0).get('source') as Y.Text).insert(0, '#');
    nb.undo.undo();
    expect(ids(nb)).toEqual(['a', 'b', 'c']);
    expect((nb.cells.get(0).get('source') as Y.Text).toString()).toBe('#print("a")');
  });

  it('changes a cell type by replacing the cell, dropping outputs for markdown', () => {
    const nb = notebook('a');
    setCellsKind(nb, ['a'], 'markdown');
    const cell = nb.cells.get(0);
    expect([cellId(cell), cellKind(cell), cell.has('outputs')]).toEqual(['a', 'markdown', false]);
    expect((cell.get('source') as Y.Text).toString()).toBe('print("a")');
  });

  it('reads the language, runs and kernel state, ignoring malformed values', () => {
    const nb = notebook('a');
    expect(notebookLanguage(nb.meta)).toBe('python');
    nb.meta.set('metadata', { language_info: { name: 'R' } });
    expect(notebookLanguage(nb.meta)).toBe('r');
    nb.runs.set('a', { state: 'bogus' });
    expect(readRun(nb.runs, 'a')).toBeNull();
    nb.kernel.set('state', { status: 'idle', spec: null, message: null, startedAt: null, startedBy: null });
    expect(readKernel(nb.kernel)?.status).toBe('idle');
  });
});
