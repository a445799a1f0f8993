import { describe, expect, it } from 'vitest';
import {
  handleKey,
  initialSelection,
  type KeyPress,
  type NotebookSelection,
  selectedCellIds,
} from './keyboard-model';

const order = ['a', 'b', 'c'];
const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  shift: false,
  ctrl: false,
  alt: false,
  ...mods,
});
const at = (id: string, extra: Partial<NotebookSelection> = {}): NotebookSelection => ({
  ...initialSelection(id),
  ...extra,
});

describe('handleKey', () => {
  it('moves between command and edit mode with Enter and Escape', () => {
    const edit = handleKey(at('b'), key('Enter'), order, true);
    expect(edit.selection.mode).toBe('edit');
    expect(edit.commands).toEqual([{ type: 'focus-editor', cellId: 'b' }]);
    const back = handleKey(edit.selection, key('Escape'), order, true);
    expect(back.selection.mode).toBe('command');
    expect(back.commands).toEqual([{ type: 'focus-notebook' }]);
  });

  it('leaves ordinary typing in edit mode to the editor', () => {
    const result = handleKey(at('b', { mode: 'edit' }), key('a'), order, true);
    expect(result).toMatchObject({ handled: false, commands: [] });
  });

  it('Shift+Enter runs and selects the next cell; on the last cell it adds one', () => {
    const middle = handleKey(at('a', { mode: 'edit' }), key('Enter', { shift: true }), order, true);
    expect(middle.commands[0]).toEqual({ type: 'run', cellIds: ['a'], afterRun: 'select-next' });
    expect(middle.selection).toMatchObject({ mode: 'command', activeId: 'b' });
    const last = handleKey(at('c'), key('Enter', { shift: true }), order, true);
    expect(last.commands).toContainEqual({ type: 'insert', where: 'below', of: 'c', edit: true });
  });

  it('Ctrl+Enter runs in place; Alt+Enter runs and inserts below', () => {
    expect(handleKey(at('b'), key('Enter', { ctrl: true }), order, true).commands).toEqual([
      { type: 'run', cellIds: ['b'], afterRun: 'stay' },
    ]);
    expect(handleKey(at('b'), key('Enter', { alt: true }), order, true).commands).toEqual([
      { type: 'run', cellIds: ['b'], afterRun: 'insert-below' },
      { type: 'insert', where: 'below', of: 'b', edit: true },
    ]);
  });

  it('runs every selected cell in order', () => {
    const selection = at('c', { anchorId: 'a' });
    expect(selectedCellIds(selection, order)).toEqual(['a', 'b', 'c']);
    expect(handleKey(selection, key('Enter', { ctrl: true }), order, true).commands[0]).toMatchObject({
      cellIds: ['a', 'b', 'c'],
    });
  });

  it('A and B insert, M Y R change the type, Z undoes, Shift+Z redoes, O toggles outputs', () => {
    expect(handleKey(at('b'), key('a'), order, true).commands).toEqual([
      { type: 'insert', where: 'above', of: 'b', edit: false },
    ]);
    expect(handleKey(at('b'), key('b'), order, true).commands).toEqual([
      { type: 'insert', where: 'below', of: 'b', edit: false },
    ]);
    expect(handleKey(at('b'), key('m'), order, true).commands).toEqual([
      { type: 'set-type', cellIds: ['b'], cellType: 'markdown' },
    ]);
    expect(handleKey(at('b'), key('y'), order, true).commands).toEqual([
      { type: 'set-type', cellIds: ['b'], cellType: 'code' },
    ]);
    expect(handleKey(at('b'), key('r'), order, true).commands).toEqual([
      { type: 'set-type', cellIds: ['b'], cellType: 'raw' },
    ]);
    expect(handleKey(at('b'), key('z'), order, true).commands).toEqual([{ type: 'undo' }]);
    expect(handleKey(at('b'), key('Z', { shift: true }), order, true).commands).toEqual([{ type: 'redo' }]);
    expect(handleKey(at('b'), key('o'), order, true).commands).toEqual([
      { type: 'toggle-outputs', cellIds: ['b'] },
    ]);
  });

  it('D D deletes the selection and activates the next cell; another key cancels the chord', () => {
    const first = handleKey(at('b'), key('d'), order, true);
    expect(first.commands).toEqual([]);
    expect(first.selection.pendingChord).toBe('d');
    const second = handleKey(first.selection, key('d'), order, true);
    expect(second.commands).toEqual([{ type: 'delete', cellIds: ['b'] }]);
    expect(second.selection.activeId).toBe('c');
    const cancelled = handleKey(
      handleKey(first.selection, key('x'), order, true).selection,
      key('d'),
      order,
      true,
    );
    expect(cancelled.commands).toEqual([]);
    expect(handleKey(at('c'), key('d'), order, true).selection.pendingChord).toBe('d');
    const lastDeleted = handleKey(at('c', { pendingChord: 'd' }), key('d'), order, true);
    expect(lastDeleted.selection.activeId).toBe('b');
  });

  it('I I interrupts and 0 0 restarts the kernel', () => {
    expect(handleKey(at('a', { pendingChord: 'i' }), key('i'), order, true).commands).toEqual([
      { type: 'interrupt' },
    ]);
    expect(handleKey(at('a', { pendingChord: '0' }), key('0'), order, true).commands).toEqual([
      { type: 'restart' },
    ]);
  });

  it('arrows and J/K move, with Shift they extend the selection, clamped at the ends', () => {
    expect(handleKey(at('a'), key('ArrowDown'), order, true).selection).toMatchObject({
      activeId: 'b',
      anchorId: 'b',
    });
    expect(handleKey(at('b'), key('k'), order, true).selection).toMatchObject({ activeId: 'a' });
    expect(handleKey(at('a'), key('ArrowUp'), order, true).selection.activeId).toBe('a');
    const extended = handleKey(
      handleKey(at('a'), key('J', { shift: true }), order, true).selection,
      key('ArrowDown', { shift: true }),
      order,
      true,
    );
    expect(selectedCellIds(extended.selection, order)).toEqual(['a', 'b', 'c']);
  });

  it('gives viewers navigation and nothing that changes the notebook or runs code', () => {
    for (const press of [
      key('Enter'),
      key('Enter', { shift: true }),
      key('a'),
      key('m'),
      key('z'),
      key('o'),
    ]) {
      expect(
        handleKey(at('b'), press, order, false).commands.filter((c) => c.type !== 'scroll-into-view'),
      ).toEqual([]);
    }
    expect(handleKey(at('b', { pendingChord: 'd' }), key('d'), order, false).commands).toEqual([]);
    expect(handleKey(at('a'), key('j'), order, false).selection.activeId).toBe('b');
  });

  it('leaves browser shortcuts (Ctrl+C) alone in command mode', () => {
    expect(handleKey(at('a'), key('c', { ctrl: true }), order, true).handled).toBe(false);
  });
});
