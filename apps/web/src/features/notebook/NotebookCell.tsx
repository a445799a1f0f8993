import type { User } from '@studios/protocol';
import { type DragEvent, type MouseEvent, memo, useEffect, useMemo, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { Spinner } from '../../ui/Spinner';
import { CellEditor } from './CellEditor';
import { CellInputPrompt } from './CellInputPrompt';
import type { CellKind } from './keyboard-model';
import { cellSource } from './notebook-doc';
import { OutputArea } from './outputs/OutputArea';
import { markdownToHtml } from './outputs/safe-html';
import { promptLabel, runLine, runNeedsTimer } from './run-status';
import { useCell, useNow } from './use-cell';

export interface NotebookCellProps {
  cell: Y.Map<unknown>;
  id: string;
  kind: CellKind;
  runs: Y.Map<unknown>;
  awareness: Awareness;
  language: string;
  user: User;
  canEdit: boolean;
  active: boolean;
  selected: boolean;
  /** Edit mode on this cell. */
  editing: boolean;
  outputsCollapsed: boolean;
  selectionKeeper: { current: unknown };
  dropEdge: 'above' | 'below' | null;
  onSelect(id: string, extend: boolean): void;
  onEdit(id: string): void;
  onRun(id: string): void;
  onToggleOutputs(id: string): void;
  onAnswerInput(id: string, runId: string, value: string): Promise<void>;
  onDragStart(id: string, event: DragEvent): void;
  onDragOver(id: string, event: DragEvent): void;
  onDrop(id: string, event: DragEvent): void;
}

function useSourceText(source: Y.Text | null, enabled: boolean): string {
  const [text, setText] = useState(() => (enabled ? (source?.toString() ?? '') : ''));
  useEffect(() => {
    if (!source || !enabled) return;
    const update = () => setText(source.toString());
    source.observe(update);
    update();
    return () => source.unobserve(update);
  }, [source, enabled]);
  return text;
}

const INTERACTIVE = 'input, textarea, button, a, select, iframe, .monaco-editor, details';

/** One cell: prompt, source (editor or rendered markdown), run line, input prompt, outputs. */
export const NotebookCell = memo(function NotebookCell(props: NotebookCellProps) {
  const { cell, id, kind, runs, canEdit, active, selected, editing, user } = props;
  const source = cellSource(cell);
  const { outputs, executionCount, run } = useCell(cell, id, runs);
  const now = useNow(runNeedsTimer(run));
  const renderMarkdown = kind === 'markdown' && !editing;
  const markdown = useSourceText(source, renderMarkdown);
  const markdownHtml = useMemo(
    () => (renderMarkdown ? markdownToHtml(markdown) : ''),
    [renderMarkdown, markdown],
  );
  const line = kind === 'code' ? runLine(run, now) : null;
  const running = run?.state === 'running';

  const onMouseDown = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    if (target.closest('.monaco-editor')) return;
    props.onSelect(id, event.shiftKey);
    // Command mode keys go to the notebook; clicks on controls keep their own focus.
    if (!target.closest(INTERACTIVE)) {
      (event.currentTarget.closest('[data-notebook-root]') as HTMLElement | null)?.focus({
        preventScroll: true,
      });
    }
  };

  const classes = [
    'nb-cell',
    `nb-cell--${kind}`,
    active ? 'nb-cell--active' : '',
    selected ? 'nb-cell--selected' : '',
    editing ? 'nb-cell--editing' : '',
    props.dropEdge ? `nb-cell--drop-${props.dropEdge}` : '',
  ].join(' ');

  return (
    <div
      className={classes}
      id={`cell-${id}`}
      role="option"
      aria-selected={selected}
      tabIndex={-1}
      data-testid="notebook-cell"
      data-cell-id={id}
      data-cell-type={kind}
      data-active={active}
      data-selected={selected}
      data-mode={editing ? 'edit' : 'command'}
      onMouseDown={onMouseDown}
      onDragOver={(event) => props.onDragOver(id, event)}
      onDrop={(event) => props.onDrop(id, event)}
    >
      <div className="nb-cell__gutter">
        {canEdit ? (
          <span
            className="nb-cell__drag"
            draggable
            title="Drag to move the cell"
            aria-hidden="true"
            data-testid="cell-drag-handle"
            onDragStart={(event) => props.onDragStart(id, event)}
          >
            ⋮⋮
          </span>
        ) : null}
        {kind === 'code' ? (
          <span className="nb-cell__prompt" data-testid="cell-prompt">
            {promptLabel(executionCount, run)}
          </span>
        ) : null}
        {kind === 'code' && canEdit ? (
          <button
            type="button"
            className="nb-cell__run"
            title="Run this cell (Ctrl+Enter)"
            aria-label="Run cell"
            data-testid="cell-run-button"
            onClick={() => props.onRun(id)}
          >
            {running ? <Spinner /> : '▶'}
          </button>
        ) : null}
      </div>
      <div className="nb-cell__body">
        {renderMarkdown ? (
          // biome-ignore lint/a11y/noStaticElementInteractions: Enter in command mode edits it too
          <div
            className="nb-markdown nb-cell__markdown"
            data-testid="cell-markdown"
            onDoubleClick={() => canEdit && props.onEdit(id)}
            // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by markdownToHtml
            dangerouslySetInnerHTML={{
              __html:
                markdownHtml || '<p class="nb-placeholder">Empty markdown cell — double-click to edit</p>',
            }}
          />
        ) : source ? (
          <CellEditor
            source={source}
            language={kind === 'code' ? props.language : kind === 'markdown' ? 'markdown' : 'plaintext'}
            awareness={props.awareness}
            readOnly={!canEdit}
            editing={editing}
            onFocus={() => props.onEdit(id)}
            selectionKeeper={props.selectionKeeper}
            testId="cell-editor"
          />
        ) : null}
        {line ? (
          <div className={`nb-cell__run-line nb-cell__run-line--${run?.state}`} data-testid="cell-run-info">
            {run?.state === 'queued' ? (
              <>
                <span className="nb-cell__queued" data-testid="cell-queued">
                  queued
                </span>{' '}
                {line.replace(/^queued /, '')}
              </>
            ) : (
              line
            )}
          </div>
        ) : null}
        {run?.input && run.state === 'running' ? (
          <CellInputPrompt
            prompt={run.input}
            forMe={run.input.forUserId === user.id && canEdit}
            askedBy={run.by.name}
            onAnswer={(value) => props.onAnswerInput(id, run.runId, value)}
          />
        ) : null}
        {kind === 'code' && outputs.length > 0 ? (
          props.outputsCollapsed ? (
            <button
              type="button"
              className="nb-outputs-collapsed"
              data-testid="cell-outputs-collapsed"
              onClick={() => props.onToggleOutputs(id)}
            >
              Outputs hidden ({outputs.length}) — show
            </button>
          ) : (
            <div className="nb-cell__outputs">
              <button
                type="button"
                className="nb-cell__collapse"
                title="Hide outputs (O)"
                aria-label="Hide outputs"
                data-testid="cell-collapse-outputs"
                onClick={() => props.onToggleOutputs(id)}
              />
              <OutputArea outputs={outputs} />
            </div>
          )
        ) : null}
      </div>
    </div>
  );
});
