/**
 * JupyterLab's keyboard model as a pure state machine: which cell is active, which are selected,
 * command mode or edit mode, and what a key press asks the notebook to do. The view feeds it key
 * presses and carries out the commands it returns, so the rules live here and are unit-tested.
 */

export type NotebookMode = 'command' | 'edit';
export type CellKind = 'code' | 'markdown' | 'raw';

export interface NotebookSelection {
  mode: NotebookMode;
  /** The cell the keyboard acts on (JupyterLab's "active cell"). */
  activeId: string | null;
  /** The other end of a Shift-selection; equal to `activeId` when one cell is selected. */
  anchorId: string | null;
  /** The first key of a two-key chord (D D, I I, 0 0) waiting for its second. */
  pendingChord: 'd' | 'i' | '0' | null;
}

export type NotebookCommand =
  | { type: 'run'; cellIds: string[]; afterRun: 'select-next' | 'stay' | 'insert-below' }
  /** Adds a code cell; it becomes the active cell, in edit mode when `edit`. */
  | { type: 'insert'; where: 'above' | 'below'; of: string | null; edit: boolean }
  | { type: 'delete'; cellIds: string[] }
  | { type: 'set-type'; cellIds: string[]; cellType: CellKind }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'toggle-outputs'; cellIds: string[] }
  | { type: 'interrupt' }
  | { type: 'restart' }
  | { type: 'focus-editor'; cellId: string }
  | { type: 'focus-notebook' }
  | { type: 'scroll-into-view'; cellId: string };

export interface KeyPress {
  key: string;
  shift: boolean;
  /** Ctrl, or Cmd on macOS. */
  ctrl: boolean;
  alt: boolean;
}

export interface KeyResult {
  selection: NotebookSelection;
  commands: NotebookCommand[];
  /** Whether the view should swallow the key (preventDefault). */
  handled: boolean;
}

export const initialSelection = (firstCellId: string | null): NotebookSelection => ({
  mode: 'command',
  activeId: firstCellId,
  anchorId: firstCellId,
  pendingChord: null,
});

/** The selected cells in notebook order: the range between anchor and active cell. */
export function selectedCellIds(selection: NotebookSelection, order: readonly string[]): string[] {
  const active = selection.activeId ? order.indexOf(selection.activeId) : -1;
  if (active < 0) return [];
  const anchor = selection.anchorId ? order.indexOf(selection.anchorId) : -1;
  if (anchor < 0) return [order[active] as string];
  return order.slice(Math.min(active, anchor), Math.max(active, anchor) + 1);
}

/** Keeps a selection valid after cells were added, removed or moved (by anyone). */
export function reconcileSelection(
  selection: NotebookSelection,
  order: readonly string[],
): NotebookSelection {
  if (selection.activeId && order.includes(selection.activeId)) {
    if (selection.anchorId && order.includes(selection.anchorId)) return selection;
    return { ...selection, anchorId: selection.activeId };
  }
  const first = order[0] ?? null;
  return { ...selection, mode: 'command', activeId: first, anchorId: first };
}

/** Selects one cell (a click), or extends the selection to it (Shift+click). */
export function selectCell(selection: NotebookSelection, cellId: string, extend: boolean): NotebookSelection {
  return {
    mode: extend ? 'command' : selection.activeId === cellId ? selection.mode : 'command',
    activeId: cellId,
    anchorId: extend ? (selection.anchorId ?? cellId) : cellId,
    pendingChord: null,
  };
}

/** Enters edit mode in a cell (double-click, focus inside its editor). */
export function editCell(cellId: string): NotebookSelection {
  return { mode: 'edit', activeId: cellId, anchorId: cellId, pendingChord: null };
}

const ignored = (selection: NotebookSelection): KeyResult => ({
  selection: selection.pendingChord ? { ...selection, pendingChord: null } : selection,
  commands: [],
  handled: false,
});

function runKey(key: KeyPress): 'select-next' | 'stay' | 'insert-below' | null {
  if (key.key !== 'Enter') return null;
  if (key.shift && !key.ctrl && !key.alt) return 'select-next';
  if (key.ctrl && !key.shift && !key.alt) return 'stay';
  if (key.alt && !key.shift && !key.ctrl) return 'insert-below';
  return null;
}

function move(
  selection: NotebookSelection,
  order: readonly string[],
  delta: number,
  extend: boolean,
): KeyResult {
  const index = selection.activeId ? order.indexOf(selection.activeId) : -1;
  const next = order[Math.max(0, Math.min(order.length - 1, index + delta))];
  if (!next) return { selection, commands: [], handled: true };
  return {
    selection: {
      mode: 'command',
      activeId: next,
      anchorId: extend ? (selection.anchorId ?? selection.activeId ?? next) : next,
      pendingChord: null,
    },
    commands: [{ type: 'scroll-into-view', cellId: next }],
    handled: true,
  };
}

/**
 * What one key press does. `canEdit` is false for viewers: they move around and select, and
 * nothing else. In edit mode only Escape and the run keys are the notebook's; the rest belong
 * to the cell's editor.
 */
export function handleKey(
  selection: NotebookSelection,
  key: KeyPress,
  order: readonly string[],
  canEdit: boolean,
): KeyResult {
  const selected = selectedCellIds(selection, order);
  const active = selection.activeId;
  const run = runKey(key);
  if (run && canEdit && selected.length > 0) {
    const last = selected[selected.length - 1] as string;
    const lastIndex = order.indexOf(last);
    const commands: NotebookCommand[] = [{ type: 'run', cellIds: selected, afterRun: run }];
    let next: NotebookSelection = { mode: 'command', activeId: last, anchorId: last, pendingChord: null };
    if (run === 'select-next') {
      const following = order[lastIndex + 1];
      // JupyterLab adds a cell when Shift+Enter runs the last one, so typing can go on.
      if (following) {
        next = { ...next, activeId: following, anchorId: following };
        commands.push({ type: 'scroll-into-view', cellId: following });
      } else commands.push({ type: 'insert', where: 'below', of: last, edit: true });
    } else if (run === 'insert-below') {
      commands.push({ type: 'insert', where: 'below', of: last, edit: true });
    }
    return { selection: next, commands, handled: true };
  }

  if (selection.mode === 'edit') {
    if (key.key === 'Escape' && !key.shift && !key.ctrl && !key.alt) {
      return {
        selection: { ...selection, mode: 'command', pendingChord: null },
        commands: [{ type: 'focus-notebook' }],
        handled: true,
      };
    }
    return { selection, commands: [], handled: false };
  }

  // Command mode. Modified keys other than Shift are the browser's (Ctrl+C, Ctrl+F…).
  if (key.ctrl || key.alt) return ignored(selection);
  const lower = key.key.length === 1 ? key.key.toLowerCase() : key.key;
  const chord = selection.pendingChord;
  const done = (commands: NotebookCommand[], next: NotebookSelection = selection): KeyResult => ({
    selection: { ...next, pendingChord: null },
    commands,
    handled: true,
  });

  switch (lower) {
    case 'ArrowUp':
    case 'k':
      return move(selection, order, -1, key.shift);
    case 'ArrowDown':
    case 'j':
      return move(selection, order, 1, key.shift);
    case 'Escape':
      return done([], { ...selection, anchorId: active });
  }
  if (!canEdit || key.shift) {
    if (canEdit && lower === 'z') return done([{ type: 'redo' }]);
    return ignored(selection);
  }
  switch (lower) {
    case 'Enter':
      return active ? done([{ type: 'focus-editor', cellId: active }], editCell(active)) : ignored(selection);
    case 'a':
      return done([{ type: 'insert', where: 'above', of: active, edit: false }]);
    case 'b':
      return done([{ type: 'insert', where: 'below', of: active, edit: false }]);
    case 'm':
      return done([{ type: 'set-type', cellIds: selected, cellType: 'markdown' }]);
    case 'y':
      return done([{ type: 'set-type', cellIds: selected, cellType: 'code' }]);
    case 'r':
      return done([{ type: 'set-type', cellIds: selected, cellType: 'raw' }]);
    case 'z':
      return done([{ type: 'undo' }]);
    case 'o':
      return done([{ type: 'toggle-outputs', cellIds: selected }]);
    case 'd':
    case 'i':
    case '0': {
      if (chord !== lower)
        return { selection: { ...selection, pendingChord: lower }, commands: [], handled: true };
      if (lower === 'i') return done([{ type: 'interrupt' }]);
      if (lower === '0') return done([{ type: 'restart' }]);
      if (selected.length === 0) return done([]);
      // The cell after the deleted ones (or before, at the end) becomes active.
      const after = order.slice(order.indexOf(selected[selected.length - 1] as string) + 1)[0];
      const before = order.slice(0, order.indexOf(selected[0] as string)).pop();
      const next = after ?? before ?? null;
      return done([{ type: 'delete', cellIds: selected }], {
        mode: 'command',
        activeId: next,
        anchorId: next,
        pendingChord: null,
      });
    }
  }
  return ignored(selection);
}
