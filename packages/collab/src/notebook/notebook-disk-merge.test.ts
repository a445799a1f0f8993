import type * as nbformat from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeNotebookChange } from './notebook-disk-merge';
import { cellsOf, readNotebook, writeNotebook } from './notebook-schema';

const code = (id: string, source: string, outputs: nbformat.IOutput[] = []): nbformat.ICodeCell => ({
  cell_type: 'code',
  id,
  source,
  metadata: {},
  outputs,
  execution_count: null,
});
const notebookOf = (cells: nbformat.ICell[]): nbformat.INotebookContent => ({
  cells,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  nbformat: 4,
  nbformat_minor: 5,
});
const stdout = (text: string): nbformat.IOutput => ({ output_type: 'stream', name: 'stdout', text });

/** A live doc at `base`, changed by `edit`; the disk notebook merged into it. */
function merge(
  base: nbformat.INotebookContent,
  disk: nbformat.INotebookContent,
  edit: (live: Y.Doc) => void = () => {},
) {
  const seeded = new Y.Doc();
  writeNotebook(seeded, structuredClone(base));
  const baseState = Y.encodeStateAsUpdate(seeded);
  const live = new Y.Doc();
  Y.applyUpdate(live, baseState);
  edit(live);
  Y.applyUpdate(live, mergeNotebookChange(baseState, live, structuredClone(disk)));
  return readNotebook(live);
}
const sources = (notebook: nbformat.INotebookContent) =>
  notebook.cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
const sourceText = (live: Y.Doc, index: number) => cellsOf(live).get(index).get('source') as Y.Text;

describe('notebook disk merge', () => {
  const base = notebookOf([code('a', 'A\n'), code('b', 'B\n', [stdout('old\n')]), code('c', 'C\n')]);

  it('merges a source changed on disk with typing in the same cell', () => {
    const disk = notebookOf([
      code('a', 'A from disk\n'),
      code('b', 'B\n', [stdout('old\n')]),
      code('c', 'C\n'),
    ]);
    const merged = merge(base, disk, (live) => sourceText(live, 0).insert(2, 'typed'));
    expect(sources(merged)[0]).toBe('A from disk\ntyped');
  });

  it('applies cells added, removed and reordered on disk, matched by id', () => {
    const disk = notebookOf([code('c', 'C\n'), code('new', 'N\n'), code('a', 'A\n')]);
    const merged = merge(base, disk, (live) => sourceText(live, 0).insert(0, 'live '));
    expect(merged.cells.map((cell) => cell.id)).toEqual(['c', 'new', 'a']);
    expect(sources(merged)).toEqual(['C\n', 'N\n', 'live A\n']);
  });

  it('matches cells without ids by content, then by position', () => {
    const noIds = (notebook: nbformat.INotebookContent) => ({
      ...notebook,
      nbformat_minor: 4,
      cells: notebook.cells.map(({ id: _id, ...cell }) => cell as nbformat.ICell),
    });
    const disk = noIds(
      notebookOf([code('x', 'A\n'), code('x', 'B changed\n'), code('x', 'C\n'), code('x', 'D\n')]),
    );
    const merged = merge(noIds(base), disk, (live) => sourceText(live, 2).insert(0, '# '));
    expect(sources(merged)).toEqual(['A\n', 'B changed\n', '# C\n', 'D\n']);
  });

  it('takes outputs from disk unless the live side changed them', () => {
    const disk = notebookOf([
      code('a', 'A\n'),
      code('b', 'B\n', [stdout('from disk\n')]),
      code('c', 'C\n', [stdout('c\n')]),
    ]);
    const merged = merge(base, disk, (live) => {
      const outputs = cellsOf(live).get(1).get('outputs') as Y.Array<unknown>;
      outputs.delete(0, 1);
    });
    expect((merged.cells[1] as nbformat.ICodeCell).outputs).toEqual([]);
    expect((merged.cells[2] as nbformat.ICodeCell).outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['c\n'] },
    ]);
  });

  it('merges notebook and cell metadata key by key', () => {
    const disk = structuredClone(base);
    disk.metadata.language_info = { name: 'python' };
    disk.cells[0] = { ...code('a', 'A\n'), metadata: { tags: ['disk'] } };
    const merged = merge(base, disk, (live) => {
      (live.getMap('meta').get('metadata') as Y.Map<unknown>).set('title', 'live');
    });
    expect(merged.metadata).toEqual({ ...base.metadata, language_info: { name: 'python' }, title: 'live' });
    expect(merged.cells[0]?.metadata).toEqual({ tags: ['disk'] });
  });
});
