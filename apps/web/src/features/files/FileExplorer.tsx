import { type DragEvent, Fragment, type KeyboardEvent, useMemo, useRef, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { useStudio } from '../../shared/studio-context';
import { baseName, joinPath, parentPath } from '../../shared/workspace-path';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { IconButton } from '../../ui/IconButton';
import { FilePlusIcon, FolderPlusIcon, RefreshIcon, UploadIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { FileRow, NameInputRow } from './FileRow';
import { childrenByParent, visibleRows } from './file-tree';
import { useFileTree } from './use-file-tree';
import './files.css';

type Editing =
  | { kind: 'create'; directory: string; entryKind: 'file' | 'directory' }
  | { kind: 'rename'; path: string }
  | null;

/** The workspace tree: browse, open, create, rename (F2), delete, upload (button or drop), download. */
export function FileExplorer() {
  const { studio, canWrite, events, openFile, activeFile, fileMoved } = useStudio();
  const toast = useToast();
  const { entries, truncated, error, reload, applyLocal } = useFileTree(studio.id, events);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [uploading, setUploading] = useState(0);
  const uploadInput = useRef<HTMLInputElement>(null);
  const treeRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => visibleRows(entries ?? [], expanded), [entries, expanded]);
  const children = useMemo(() => childrenByParent(entries ?? []), [entries]);
  const kindOf = (path: string) => entries?.find((entry) => entry.path === path)?.kind;
  const fail = (title: string, failure: unknown) =>
    toast.show({ tone: 'danger', title, message: describeError(failure) });

  const toggle = (path: string, open?: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });

  const focusRow = (path: string) => {
    setSelected(path);
    requestAnimationFrame(() =>
      treeRef.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus(),
    );
  };

  /** New entries go into the selected folder, or next to the selected file. */
  const targetDirectory = () => {
    if (!selected) return '';
    return kindOf(selected) === 'directory' ? selected : parentPath(selected);
  };

  const startCreate = (entryKind: 'file' | 'directory') => {
    const directory = targetDirectory();
    if (directory) toggle(directory, true);
    setEditing({ kind: 'create', directory, entryKind });
  };

  const siblingNames = (directory: string, except?: string) =>
    new Set((children.get(directory) ?? []).map((entry) => entry.name).filter((name) => name !== except));

  const submitName = async (name: string) => {
    const current = editing;
    setEditing(null);
    if (!current) return;
    try {
      if (current.kind === 'create') {
        const path = joinPath(current.directory, name);
        const entry = await api.files.create(studio.id, path, current.entryKind);
        applyLocal([{ kind: 'added', path: entry.path, entry }]);
        focusRow(entry.path);
        if (entry.kind === 'file') openFile(entry.path);
      } else {
        const to = joinPath(parentPath(current.path), name);
        if (to === current.path) return;
        const entry = await api.files.move(studio.id, current.path, to);
        applyLocal([
          { kind: 'removed', path: current.path },
          { kind: 'added', path: entry.path, entry },
        ]);
        fileMoved(current.path, entry.path);
        focusRow(entry.path);
      }
    } catch (failure) {
      fail(
        current.kind === 'create' ? `Could not create “${name}”` : `Could not rename to “${name}”`,
        failure,
      );
    }
  };

  const upload = async (files: FileList | File[], directory: string) => {
    const list = Array.from(files);
    setUploading((count) => count + list.length);
    for (const file of list) {
      const path = joinPath(directory, file.name);
      try {
        const entry = await api.files.upload(studio.id, path, file);
        applyLocal([{ kind: 'added', path: entry.path, entry }]);
      } catch (failure) {
        fail(`Could not upload “${file.name}”`, failure);
      } finally {
        setUploading((count) => count - 1);
      }
    }
    if (directory) toggle(directory, true);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const directory = dropTarget ?? '';
    setDropTarget(null);
    if (!canWrite) {
      toast.show({
        tone: 'warning',
        title: 'You can only view this Studio',
        message: 'Ask an owner for editor access to upload files.',
      });
      return;
    }
    if (event.dataTransfer.files.length > 0) void upload(event.dataTransfer.files, directory);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (editing || (event.target as HTMLElement).tagName === 'INPUT') return;
    const index = rows.findIndex((row) => row.entry.path === selected);
    const row = rows[index];
    const move = (next: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, next))];
      if (target) focusRow(target.entry.path);
    };
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row?.entry.kind === 'directory') {
          if (!row.expanded) toggle(row.entry.path, true);
          else move(index + 1);
        }
        break;
      case 'ArrowLeft':
        if (row?.expanded) toggle(row.entry.path, false);
        else if (row && parentPath(row.entry.path)) focusRow(parentPath(row.entry.path));
        break;
      case 'Enter':
        if (row?.entry.kind === 'directory') toggle(row.entry.path);
        else if (row) openFile(row.entry.path);
        break;
      case 'F2':
        if (row && canWrite) setEditing({ kind: 'rename', path: row.entry.path });
        break;
      case 'Delete':
        if (row && canWrite) setDeleting(row.entry.path);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const createRow = (depth: number) =>
    editing?.kind === 'create' ? (
      <NameInputRow
        key="__create"
        depth={depth}
        kind={editing.entryKind}
        initial=""
        validateAgainst={siblingNames(editing.directory)}
        onSubmit={submitName}
        onCancel={() => setEditing(null)}
      />
    ) : null;

  const createIndex =
    editing?.kind === 'create' && editing.directory
      ? rows.findIndex((row) => row.entry.path === editing.directory)
      : -1;

  return (
    <section className="explorer" aria-label="Files">
      <div className="panel-header">
        <span className="panel-header__title">Explorer</span>
        <div className="panel-header__actions">
          {canWrite ? (
            <>
              <IconButton
                size="sm"
                label="New file"
                icon={<FilePlusIcon size={14} />}
                onClick={() => startCreate('file')}
                data-testid="new-file"
              />
              <IconButton
                size="sm"
                label="New folder"
                icon={<FolderPlusIcon size={14} />}
                onClick={() => startCreate('directory')}
                data-testid="new-folder"
              />
              <IconButton
                size="sm"
                label="Upload files"
                icon={uploading > 0 ? <Spinner /> : <UploadIcon size={14} />}
                onClick={() => uploadInput.current?.click()}
              />
              <input
                ref={uploadInput}
                type="file"
                multiple
                hidden
                data-testid="upload-input"
                onChange={(event) => {
                  if (event.target.files) void upload(event.target.files, targetDirectory());
                  event.target.value = '';
                }}
              />
            </>
          ) : null}
          <IconButton size="sm" label="Refresh" icon={<RefreshIcon size={14} />} onClick={reload} />
        </div>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a pointer shortcut; the Upload button is the keyboard path */}
      <div
        className={`explorer__body ${dropTarget === '' ? 'explorer__body--drop' : ''}`}
        onDragOver={(event) => {
          if (!event.dataTransfer.types.includes('Files')) return;
          event.preventDefault();
          const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-path]');
          const path = rowElement?.dataset.path ?? '';
          setDropTarget(path && kindOf(path) === 'directory' ? path : path ? parentPath(path) : '');
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node)) setDropTarget(null);
        }}
        onDrop={onDrop}
      >
        {error ? (
          <EmptyState
            title="Files could not be loaded"
            action={
              <Button size="sm" onClick={reload}>
                Try again
              </Button>
            }
          >
            {describeError(error)}
          </EmptyState>
        ) : entries === null ? (
          <div className="explorer__loading">
            <Spinner label="Loading files" />
          </div>
        ) : (
          <div
            ref={treeRef}
            role="tree"
            aria-label="Workspace files"
            className="explorer__tree"
            onKeyDown={onKeyDown}
            tabIndex={rows.length === 0 ? 0 : -1}
          >
            {editing?.kind === 'create' && !editing.directory ? createRow(0) : null}
            {rows.map((row, index) => (
              <Fragment key={row.entry.path}>
                {editing?.kind === 'rename' && editing.path === row.entry.path ? (
                  <NameInputRow
                    depth={row.depth}
                    kind={row.entry.kind === 'directory' ? 'directory' : 'file'}
                    initial={row.entry.name}
                    validateAgainst={siblingNames(parentPath(row.entry.path), row.entry.name)}
                    onSubmit={submitName}
                    onCancel={() => setEditing(null)}
                  />
                ) : (
                  <FileRow
                    row={row}
                    selected={selected === row.entry.path || (selected === null && index === 0)}
                    active={activeFile === row.entry.path}
                    dropTarget={dropTarget === row.entry.path}
                    canWrite={canWrite}
                    downloadUrl={
                      row.entry.kind === 'file' ? api.files.downloadUrl(studio.id, row.entry.path) : null
                    }
                    onActivate={() => {
                      setSelected(row.entry.path);
                      if (row.entry.kind === 'directory') toggle(row.entry.path);
                      else openFile(row.entry.path);
                    }}
                    onFocus={() => setSelected(row.entry.path)}
                    onRename={() => setEditing({ kind: 'rename', path: row.entry.path })}
                    onDelete={() => setDeleting(row.entry.path)}
                  />
                )}
                {index === createIndex ? createRow(row.depth + 1) : null}
              </Fragment>
            ))}
            {rows.length === 0 && editing === null ? (
              <p className="explorer__empty">
                {canWrite ? 'No files yet. Create one or drop files here.' : 'This Studio has no files yet.'}
              </p>
            ) : null}
          </div>
        )}
        {truncated ? (
          <p className="explorer__note">Showing the first part of a very large workspace.</p>
        ) : null}
      </div>
      {deleting ? (
        <ConfirmDialog
          title={`Delete “${baseName(deleting)}”?`}
          message={
            kindOf(deleting) === 'directory'
              ? `The folder “${deleting}” and everything in it will be deleted for everyone.`
              : `“${deleting}” will be deleted for everyone.`
          }
          confirmLabel="Delete"
          formatError={describeError}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.files.remove(studio.id, deleting);
            applyLocal([{ kind: 'removed', path: deleting }]);
            setDeleting(null);
          }}
        />
      ) : null}
    </section>
  );
}
