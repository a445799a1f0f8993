import { Suspense, useEffect } from 'react';
import { retryingLazy } from '../../shared/chunk-retry';
import { LoadBoundary } from '../../shared/LoadBoundary';
import { monaco, monacoTheme } from '../../shared/monaco-setup';
import { useStudio } from '../../shared/studio-context';
import { baseName } from '../../shared/workspace-path';
import { EmptyState } from '../../ui/EmptyState';
import { FileIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import { Tabs } from '../../ui/Tabs';
import { CollabEditor } from './CollabEditor';
import './editor.css';

// The notebook view (marked, DOMPurify, KaTeX, outputs) loads only when a notebook is opened.
const LazyNotebookView = retryingLazy(
  'src/features/notebook/index.ts',
  () => import('../notebook'),
  (m) => m.NotebookView,
);

const isNotebook = (path: string) => path.toLowerCase().endsWith('.ipynb');

export interface EditorAreaProps {
  openFiles: string[];
  onSelect(path: string): void;
  onClose(path: string): void;
}

/** Editor tabs and one live editor per open file (inactive ones stay connected, hidden). */
export function EditorArea({ openFiles, onSelect, onClose }: EditorAreaProps) {
  const { studio, user, canWrite, activeFile, events, presence, follow } = useStudio();

  useEffect(() => {
    const onTheme = (event: Event) =>
      monaco.editor.setTheme(monacoTheme((event as CustomEvent<'dark' | 'light'>).detail));
    window.addEventListener('studios-theme', onTheme);
    return () => window.removeEventListener('studios-theme', onTheme);
  }, []);

  if (openFiles.length === 0) {
    return (
      <div className="editor-area editor-area--empty">
        <EmptyState icon={<FileIcon size={32} />} title="No file open">
          Pick a file in the explorer to open it. Everyone in this Studio sees edits live.
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="editor-area">
      <div className="editor-area__tabs">
        <Tabs
          label="Open files"
          idPrefix="editor-tabs"
          items={openFiles.map((path) => ({
            id: path,
            label: baseName(path),
            title: path,
            testId: `tab-${path}`,
            icon: <FileIcon size={13} />,
          }))}
          activeId={activeFile}
          onSelect={onSelect}
          onClose={onClose}
        />
      </div>
      <div className="editor-area__editors">
        {openFiles.map((path) =>
          isNotebook(path) ? (
            <div className="editor-area__notebook" key={path} hidden={path !== activeFile}>
              <LoadBoundary part="the notebook" onRetry={LazyNotebookView.renew}>
                {() => (
                  <Suspense fallback={<Spinner label="Loading the notebook" />}>
                    <LazyNotebookView.Component
                      studioId={studio.id}
                      path={path}
                      user={user}
                      readOnly={!canWrite}
                      visible={path === activeFile}
                      activeFile={activeFile}
                      presence={presence}
                      onCloseTab={() => onClose(path)}
                    />
                  </Suspense>
                )}
              </LoadBoundary>
            </div>
          ) : (
            <CollabEditor
              key={path}
              studioId={studio.id}
              path={path}
              user={user}
              readOnly={!canWrite}
              visible={path === activeFile}
              activeFile={activeFile}
              events={events}
              presence={presence}
              follow={follow}
              onCloseTab={() => onClose(path)}
            />
          ),
        )}
      </div>
    </div>
  );
}
