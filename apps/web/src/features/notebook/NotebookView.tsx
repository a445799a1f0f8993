import type { KernelSpecList, User } from '@studios/protocol';
import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import type { PresenceStore } from '../../shared/presence-store';
import { EmptyState } from '../../ui/EmptyState';
import { AlertIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { KernelToolbar } from './KernelToolbar';
import {
  editCell,
  handleKey,
  initialSelection,
  type NotebookCommand,
  type NotebookSelection,
  reconcileSelection,
  selectCell,
  selectedCellIds,
} from './keyboard-model';
import { NotebookCell } from './NotebookCell';
import { type KernelAction, notebookActions } from './notebook-actions';
import {
  cellId,
  cellKind,
  deleteCells,
  insertCell,
  moveCell,
  outputsHiddenInMetadata,
  setCellsKind,
} from './notebook-doc';
import { useNotebookDocument } from './use-notebook-document';
import './notebook.css';
import { ConnectionStatus } from '../../shared/ConnectionStatus';

export interface NotebookViewProps {
  studioId: string;
  path: string;
  user: User;
  readOnly: boolean;
  visible: boolean;
  activeFile: string | null;
  presence: PresenceStore;
  onCloseTab(): void;
}

const CELL_DRAG_TYPE = 'application/x-studios-notebook-cell';

/** Keys typed into these belong to them, not to the notebook's command mode. */
const OWN_KEYS = 'input, textarea, select, button, [role="menu"], [role="menuitem"], iframe';
/** Monaco widgets that close on Escape before the notebook leaves edit mode. */
const OPEN_WIDGETS = '.suggest-widget.visible, .parameter-hints-widget.visible, .find-widget.visible';

/** A `.ipynb` file as a live, collaborative notebook (JupyterLab's model, Studios' look). */
export function NotebookView(props: NotebookViewProps) {
  const { studioId, path, user, readOnly, visible, activeFile, presence } = props;
  const canEdit = !readOnly;
  const toast = useToast();
  const notebook = useNotebookDocument(studioId, path, user, presence, activeFile);
  const { session, cells, kernel, language, closed, synced, status } = notebook;
  const nb = session?.nb ?? null;
  const root = useRef<HTMLDivElement>(null);
  const selectionKeeper = useRef<unknown>(null);
  const [selection, setSelection] = useState<NotebookSelection>(() => initialSelection(null));
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const seenCells = useRef(new Set<string>());
  const [kernelspecs, setKernelspecs] = useState<KernelSpecList | null>(null);
  const [drag, setDrag] = useState<{ id: string; over: string; edge: 'above' | 'below' } | null>(null);

  const order = useMemo(() => cells.map(cellId), [cells]);
  const actions = useMemo(() => (nb ? notebookActions(nb, studioId, path) : null), [nb, studioId, path]);

  const report = useCallback(
    (what: string) => (error: unknown) =>
      toast.show({ tone: 'danger', title: `${what} failed`, message: describeError(error) }),
    [toast],
  );

  useEffect(() => {
    setSelection((current) => reconcileSelection(current, order));
    // Outputs a notebook saved as hidden stay hidden when it opens (nbformat's `collapsed`).
    const hidden: string[] = [];
    for (const cell of cells) {
      const id = cellId(cell);
      if (seenCells.current.has(id)) continue;
      seenCells.current.add(id);
      if (outputsHiddenInMetadata(cell)) hidden.push(id);
    }
    if (hidden.length > 0) setCollapsed((current) => new Set([...current, ...hidden]));
  }, [cells, order]);

  useEffect(() => {
    if (!canEdit) return;
    let cancelled = false;
    api.notebooks.kernelspecs(studioId).then(
      (list) => !cancelled && setKernelspecs(list),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [studioId, canEdit]);

  const kernelAction = useCallback(
    (action: KernelAction, kernelName?: string) =>
      actions
        ? actions.kernel(action, kernelName).catch((error: unknown) => {
            report(`Kernel ${action}`)(error);
          })
        : Promise.resolve(),
    [actions, report],
  );

  const scrollToCell = useCallback((id: string) => {
    requestAnimationFrame(() =>
      root.current?.querySelector(`[data-cell-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' }),
    );
  }, []);

  const execute = useCallback(
    (commands: NotebookCommand[]) => {
      if (!nb || !actions) return;
      for (const command of commands) {
        switch (command.type) {
          case 'run':
            void actions.run(command.cellIds).catch(report('Run'));
            break;
          case 'insert': {
            if (!canEdit) break;
            const id = insertCell(nb, command.where, command.of);
            setSelection(command.edit ? editCell(id) : selectCell(initialSelection(id), id, false));
            scrollToCell(id);
            break;
          }
          case 'delete':
            deleteCells(nb, command.cellIds);
            break;
          case 'set-type':
            setCellsKind(nb, command.cellIds, command.cellType);
            break;
          case 'undo':
            nb.undo.undo();
            break;
          case 'redo':
            nb.undo.redo();
            break;
          case 'toggle-outputs':
            setCollapsed((current) => {
              const next = new Set(current);
              const hide = command.cellIds.some((id) => !current.has(id));
              for (const id of command.cellIds) hide ? next.add(id) : next.delete(id);
              return next;
            });
            break;
          case 'interrupt':
          case 'restart':
            void kernelAction(command.type);
            break;
          case 'focus-notebook':
            root.current?.focus({ preventScroll: true });
            break;
          case 'scroll-into-view':
            scrollToCell(command.cellId);
            break;
          case 'focus-editor':
            // The cell's editor focuses itself when its cell enters edit mode.
            break;
        }
      }
    },
    [nb, actions, canEdit, report, kernelAction, scrollToCell],
  );

  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const inEditor = target.closest('.monaco-editor') !== null;
    if (selection.mode === 'edit' ? !inEditor : inEditor || target.closest(OWN_KEYS)) return;
    if (event.key === 'Escape' && inEditor && target.closest('.nb-cell')?.querySelector(OPEN_WIDGETS)) return;
    const press = {
      key: event.key,
      shift: event.shiftKey,
      ctrl: event.ctrlKey || event.metaKey,
      alt: event.altKey,
    };
    const result = handleKey(selection, press, order, canEdit);
    setSelection(result.selection);
    if (result.handled) {
      event.preventDefault();
      event.stopPropagation();
    }
    execute(result.commands);
  };

  const onSelect = useCallback((id: string, extend: boolean) => {
    setSelection((current) => selectCell(current, id, extend));
  }, []);
  const onEdit = useCallback(
    (id: string) => {
      if (canEdit) setSelection(editCell(id));
    },
    [canEdit],
  );
  const onRun = useCallback(
    (id: string) => execute([{ type: 'run', cellIds: [id], afterRun: 'stay' }]),
    [execute],
  );
  const onToggleOutputs = useCallback(
    (id: string) => execute([{ type: 'toggle-outputs', cellIds: [id] }]),
    [execute],
  );
  const onAnswerInput = useCallback(
    (id: string, runId: string, value: string) => actions?.answerInput(id, runId, value) ?? Promise.resolve(),
    [actions],
  );

  const onDragStart = useCallback((id: string, event: DragEvent) => {
    event.dataTransfer.setData(CELL_DRAG_TYPE, id);
    event.dataTransfer.effectAllowed = 'move';
    setDrag({ id, over: id, edge: 'below' });
  }, []);
  const onDragOver = useCallback((id: string, event: DragEvent) => {
    if (!event.dataTransfer.types.includes(CELL_DRAG_TYPE)) return;
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    const edge = event.clientY < box.top + box.height / 2 ? 'above' : 'below';
    setDrag((current) =>
      current && (current.over !== id || current.edge !== edge) ? { ...current, over: id, edge } : current,
    );
  }, []);
  const onDrop = useCallback(
    (id: string, event: DragEvent) => {
      const dragged = event.dataTransfer.getData(CELL_DRAG_TYPE);
      setDrag(null);
      if (!nb || !dragged || dragged === id) return;
      event.preventDefault();
      const box = event.currentTarget.getBoundingClientRect();
      const below = event.clientY >= box.top + box.height / 2;
      const from = order.indexOf(dragged);
      let to = order.indexOf(id) + (below ? 1 : 0);
      if (from < to) to -= 1;
      moveCell(nb, dragged, to);
    },
    [nb, order],
  );

  const selected = useMemo(() => new Set(selectedCellIds(selection, order)), [selection, order]);

  return (
    <div
      className="notebook"
      hidden={!visible}
      role="tabpanel"
      aria-label={path}
      id={`editor-tabs-panel-${path}`}
    >
      <KernelToolbar
        kernel={kernel}
        canEdit={canEdit}
        kernelspecs={kernelspecs}
        onKernel={kernelAction}
        onRunAll={() => void actions?.runAll().catch(report('Run all'))}
        onRunAbove={() => void actions?.runAbove(selection.activeId).catch(report('Run above'))}
        onRunBelow={() => void actions?.runBelow(selection.activeId).catch(report('Run below'))}
        onClearOutputs={() => void actions?.clearOutputs().catch(report('Clear outputs'))}
        onClearSelectedOutputs={() =>
          void actions?.clearOutputs(selectedCellIds(selection, order)).catch(report('Clear outputs'))
        }
      />
      <div
        className="notebook__cells"
        ref={root}
        role="listbox"
        aria-label="Cells"
        aria-multiselectable="true"
        aria-activedescendant={selection.activeId ? `cell-${selection.activeId}` : undefined}
        tabIndex={0}
        data-notebook-root
        data-testid={`notebook-${path}`}
        data-synced={synced}
        data-mode={selection.mode}
        onKeyDownCapture={onKeyDownCapture}
        onDragEnd={() => setDrag(null)}
      >
        {!synced && cells.length === 0 ? (
          <div className="notebook__loading">
            <Spinner label="Loading notebook" />
          </div>
        ) : null}
        {session
          ? cells.map((cell, index) => {
              const id = order[index] as string;
              return (
                <NotebookCell
                  key={id}
                  cell={cell}
                  id={id}
                  kind={cellKind(cell)}
                  runs={session.nb.runs}
                  awareness={session.connection.awareness}
                  language={language}
                  user={user}
                  canEdit={canEdit}
                  active={selection.activeId === id}
                  selected={selected.has(id)}
                  editing={selection.mode === 'edit' && selection.activeId === id}
                  outputsCollapsed={collapsed.has(id)}
                  selectionKeeper={selectionKeeper}
                  dropEdge={drag && drag.over === id && drag.id !== id ? drag.edge : null}
                  onSelect={onSelect}
                  onEdit={onEdit}
                  onRun={onRun}
                  onToggleOutputs={onToggleOutputs}
                  onAnswerInput={onAnswerInput}
                  onDragStart={onDragStart}
                  onDragOver={onDragOver}
                  onDrop={onDrop}
                />
              );
            })
          : null}
        {synced && cells.length === 0 && canEdit && nb ? (
          <button
            type="button"
            className="notebook__add"
            data-testid="notebook-add-cell"
            onClick={() => execute([{ type: 'insert', where: 'below', of: null, edit: true }])}
          >
            + Add a code cell
          </button>
        ) : null}
      </div>
      {closed ? (
        <div className="collab-editor__overlay" role="alert">
          <EmptyState
            icon={<AlertIcon size={28} />}
            title="This notebook is no longer available"
            action={
              <button type="button" className="ui-button" onClick={props.onCloseTab}>
                Close tab
              </button>
            }
          >
            It was deleted or moved, or your access changed. Close this tab and open it again from the
            explorer.
          </EmptyState>
        </div>
      ) : null}
      <div className="status-line" data-testid="editor-status">
        <ConnectionStatus closed={Boolean(closed)} status={status} synced={synced} />
        {readOnly ? <span>Read only</span> : null}
        <span className="status-line__spacer" />
        <span data-testid="notebook-mode">{selection.mode === 'edit' ? 'Edit mode' : 'Command mode'}</span>
        <span>{cells.length} cells</span>
        <span>{language}</span>
      </div>
    </div>
  );
}
