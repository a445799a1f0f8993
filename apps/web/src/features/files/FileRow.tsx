import { useEffect, useRef, useState } from 'react';
import { IconButton } from '../../ui/IconButton';
import {
  ChevronDownIcon,
  ChevronRightIcon,
  DownloadIcon,
  FileIcon,
  FolderIcon,
  PencilIcon,
  TrashIcon,
} from '../../ui/icons';
import { type TreeRow, validateFileName } from './file-tree';

const indent = (depth: number) => ({ paddingLeft: `${8 + depth * 12}px` });

/** One entry of the tree (treeitem) with its hover actions. */
export function FileRow({
  row,
  selected,
  active,
  dropTarget,
  canWrite,
  downloadUrl,
  onActivate,
  onFocus,
  onRename,
  onDelete,
}: {
  row: TreeRow;
  selected: boolean;
  active: boolean;
  dropTarget: boolean;
  canWrite: boolean;
  downloadUrl: string | null;
  onActivate(): void;
  onFocus(): void;
  onRename(): void;
  onDelete(): void;
}) {
  const { entry } = row;
  const isDirectory = entry.kind === 'directory';
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled once for the whole tree (FileExplorer)
    <div
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={isDirectory ? row.expanded : undefined}
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      data-path={entry.path}
      data-testid={`file-${entry.path}`}
      data-kind={entry.kind}
      className={`file-row ${active ? 'file-row--active' : ''} ${dropTarget ? 'file-row--drop' : ''}`}
      style={indent(row.depth)}
      onClick={onActivate}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocus();
      }}
      title={entry.path}
    >
      <span className="file-row__chevron" aria-hidden="true">
        {isDirectory ? row.expanded ? <ChevronDownIcon size={12} /> : <ChevronRightIcon size={12} /> : null}
      </span>
      <span className={`file-row__icon ${isDirectory ? 'file-row__icon--dir' : ''}`} aria-hidden="true">
        {isDirectory ? <FolderIcon size={14} /> : <FileIcon size={14} />}
      </span>
      <span className="file-row__name">{entry.name}</span>
      <span className="file-row__actions">
        {downloadUrl ? (
          <a
            className="ui-icon-button ui-icon-button--sm"
            href={downloadUrl}
            download={entry.name}
            aria-label={`Download ${entry.name}`}
            title={`Download ${entry.name}`}
            tabIndex={-1}
            onClick={(event) => event.stopPropagation()}
          >
            <DownloadIcon size={12} />
          </a>
        ) : null}
        {canWrite ? (
          <>
            <IconButton
              size="sm"
              tabIndex={-1}
              label={`Rename ${entry.name} (F2)`}
              icon={<PencilIcon size={12} />}
              onClick={(event) => {
                event.stopPropagation();
                onRename();
              }}
            />
            <IconButton
              size="sm"
              tabIndex={-1}
              label={`Delete ${entry.name}`}
              icon={<TrashIcon size={12} />}
              onClick={(event) => {
                event.stopPropagation();
                onDelete();
              }}
            />
          </>
        ) : null}
      </span>
    </div>
  );
}

/** The inline name field for creating or renaming an entry: Enter commits, Escape cancels. */
export function NameInputRow({
  depth,
  kind,
  initial,
  validateAgainst,
  onSubmit,
  onCancel,
}: {
  depth: number;
  kind: 'file' | 'directory';
  initial: string;
  validateAgainst: ReadonlySet<string>;
  onSubmit(name: string): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(initial);
  const [touched, setTouched] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const problem = validateFileName(name, validateAgainst);

  useEffect(() => {
    const element = input.current;
    if (!element) return;
    element.focus();
    // Select the stem so renaming `app.ts` starts with `app` selected, as editors do.
    const dot = initial.lastIndexOf('.');
    element.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [initial]);

  const commit = () => {
    setTouched(true);
    if (problem) return;
    onSubmit(name.trim());
  };

  return (
    <div className="file-row file-row--editing" style={indent(depth)}>
      <span className="file-row__chevron" />
      <span className="file-row__icon" aria-hidden="true">
        {kind === 'directory' ? <FolderIcon size={14} /> : <FileIcon size={14} />}
      </span>
      <div className="file-row__input-wrap">
        <input
          ref={input}
          className="ui-input ui-input--sm"
          aria-label={
            initial ? `New name for ${initial}` : kind === 'directory' ? 'Folder name' : 'File name'
          }
          aria-invalid={touched && problem ? true : undefined}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setTouched(true);
          }}
          onKeyDown={(event) => {
            event.stopPropagation();
            if (event.key === 'Enter') {
              event.preventDefault();
              commit();
            } else if (event.key === 'Escape') {
              event.preventDefault();
              onCancel();
            }
          }}
          onBlur={() => (name.trim() && !problem && name !== initial ? commit() : onCancel())}
        />
        {touched && problem && name ? (
          <div className="file-row__error" role="alert">
            {problem}
          </div>
        ) : null}
      </div>
    </div>
  );
}
