import { CloseCode, TEXT_SOURCE_NAME, type User } from '@studios/protocol';
import { useEffect, useRef, useState } from 'react';
import { MonacoBinding } from 'y-monaco';
import * as Y from 'yjs';
import { api } from '../../api/client';
import { type CollabConnection, type CollabStatus, openCollabDocument } from '../../api/collab-socket';
import { awarenessUsers } from '../../shared/awareness-users';
import { ConnectionStatus } from '../../shared/ConnectionStatus';
import type { StudioEventBus } from '../../shared/event-bus';
import { monaco, monacoTheme } from '../../shared/monaco-setup';
import type { PresenceStore } from '../../shared/presence-store';
import { remoteCursorCss } from '../../shared/remote-cursor-css';
import type { FollowRequest } from '../../shared/studio-context';
import { currentTheme } from '../../shared/theme';
import { colorForUser } from '../../shared/user-color';
import { EmptyState } from '../../ui/EmptyState';
import { AlertIcon, DownloadIcon } from '../../ui/icons';
import { languageForPath } from './language';

type SaveState = 'idle' | 'saving' | 'saved';

export interface CollabEditorProps {
  studioId: string;
  path: string;
  user: User;
  readOnly: boolean;
  visible: boolean;
  /** The file this user is looking at, published in awareness for presence. */
  activeFile: string | null;
  events: StudioEventBus;
  presence: PresenceStore;
  follow: FollowRequest | null;
  onCloseTab(): void;
}

function closedMessage(code: number): { title: string; text: string } {
  switch (code) {
    case CloseCode.UnsupportedDocument:
      return {
        title: 'This file cannot be edited live',
        text: 'This file is binary / larger than 5 MB and cannot be edited live.',
      };
    case CloseCode.Forbidden:
      return {
        title: 'You no longer have access',
        text: 'Your access to this Studio changed. Ask an owner to invite you again.',
      };
    case CloseCode.Unauthorized:
      return { title: 'Your session has ended', text: 'Log in again to keep editing.' };
    default:
      return {
        title: 'This file is no longer available',
        text: 'It was deleted or moved. Close this tab and open it again from the explorer.',
      };
  }
}

/**
 * One file in Monaco, synced live with Yjs. Doc, provider, model, editor and binding are
 * created and destroyed together in one effect, so React StrictMode's double mount leaves
 * nothing behind.
 */
export function CollabEditor(props: CollabEditorProps) {
  const { studioId, path, user, readOnly, visible, activeFile, events, presence, follow, onCloseTab } = props;
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const connectionRef = useRef<CollabConnection | null>(null);
  const revealFollow = useRef<(() => boolean) | null>(null);
  const pendingFollow = useRef<FollowRequest | null>(null);
  const awarenessFile = useRef(activeFile);
  awarenessFile.current = activeFile;
  const [status, setStatus] = useState<CollabStatus>('connecting');
  const [synced, setSynced] = useState(false);
  const [save, setSave] = useState<SaveState>('idle');
  const [closed, setClosed] = useState<{ code: number; reason: string } | null>(null);
  const [cursor, setCursor] = useState({ line: 1, column: 1 });
  const [language, setLanguage] = useState('plaintext');

  // readOnly and activeFile are applied by the effects below without rebuilding the editor.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const doc = new Y.Doc();
    const ytext = doc.getText(TEXT_SOURCE_NAME);
    const languageId = languageForPath(path, monaco.languages.getLanguages());
    setLanguage(languageId);
    const model = monaco.editor.createModel('', languageId);
    const editor = monaco.editor.create(element, {
      model,
      theme: monacoTheme(currentTheme()),
      automaticLayout: true,
      readOnly,
      readOnlyMessage: { value: 'You can view this Studio but not edit it.' },
      fontFamily:
        "ui-monospace, 'SF Mono', 'Cascadia Code', 'JetBrains Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      fontSize: 13,
      lineHeight: 20,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      padding: { top: 16 },
      renderLineHighlight: 'all',
      smoothScrolling: true,
      tabSize: 2,
    });
    editor.getDomNode()?.setAttribute('data-studios-editor', path);
    editorRef.current = editor;
    const provider = openCollabDocument(studioId, path, doc, {
      onStatus: setStatus,
      onClosed: (code, reason) => setClosed({ code, reason }),
    });
    connectionRef.current = provider;
    const binding = new MonacoBinding(ytext, model, new Set([editor]), provider.awareness);
    const color = colorForUser(user.id);
    provider.awareness.setLocalStateField('user', {
      id: user.id,
      name: user.name,
      color,
      file: awarenessFile.current ?? path,
    });

    const styles = new Map<number, HTMLStyleElement>();
    const revealPending = (): boolean => {
      const request = pendingFollow.current;
      if (!request) return false;
      for (const state of provider.awareness.getStates().values()) {
        const selection = (state as { selection?: { head?: unknown } }).selection;
        if ((state as { user?: { id?: string } }).user?.id !== request.userId || !selection?.head) continue;
        const head = Y.createAbsolutePositionFromRelativePosition(
          Y.createRelativePositionFromJSON(selection.head),
          doc,
        );
        if (!head || head.type !== ytext) continue;
        const position = model.getPositionAt(head.index);
        editor.revealPositionInCenter(position, monaco.editor.ScrollType.Smooth);
        pendingFollow.current = null;
        return true;
      }
      return false;
    };
    revealFollow.current = revealPending;

    const onAwareness = () => {
      const states = provider.awareness.getStates();
      for (const [clientId, state] of states) {
        if (clientId === doc.clientID) continue;
        const remote = (state as { user?: { id?: string; name?: string; color?: string } }).user;
        if (!remote?.name || !remote.id) continue;
        let style = styles.get(clientId);
        if (!style) {
          style = document.createElement('style');
          style.dataset.remoteCursor = String(clientId);
          document.head.append(style);
          styles.set(clientId, style);
        }
        const css = remoteCursorCss(clientId, remote.color ?? '', remote.name, colorForUser(remote.id));
        if (style.textContent !== css) style.textContent = css;
      }
      for (const [clientId, style] of styles) {
        if (!states.has(clientId)) {
          style.remove();
          styles.delete(clientId);
        }
      }
      presence.setDocumentUsers(path, awarenessUsers(states));
      revealPending();
    };
    provider.awareness.on('change', onAwareness);
    onAwareness();

    const onSync = (isSynced: boolean) => setSynced(isSynced);
    provider.on('sync', onSync);
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === binding) setSave('saving');
    };
    doc.on('update', onUpdate);
    const unsubscribe = events.subscribe((event) => {
      if (event.type === 'doc-saved' && event.path === path)
        setSave((current) => (current === 'idle' ? current : 'saved'));
    });
    const cursorListener = editor.onDidChangeCursorPosition((event) =>
      setCursor({ line: event.position.lineNumber, column: event.position.column }),
    );

    return () => {
      unsubscribe();
      cursorListener.dispose();
      doc.off('update', onUpdate);
      provider.off('sync', onSync);
      provider.awareness.off('change', onAwareness);
      binding.destroy();
      provider.destroy();
      editor.dispose();
      model.dispose();
      doc.destroy();
      for (const style of styles.values()) style.remove();
      presence.removeDocument(path);
      editorRef.current = null;
      connectionRef.current = null;
      revealFollow.current = null;
    };
  }, [studioId, path, user.id, user.name, events, presence]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly]);

  useEffect(() => {
    const awareness = connectionRef.current?.awareness;
    const current = awareness?.getLocalState()?.user as Record<string, unknown> | undefined;
    if (awareness && current && activeFile && current.file !== activeFile) {
      awareness.setLocalStateField('user', { ...current, file: activeFile });
    }
  }, [activeFile]);

  useEffect(() => {
    if (!follow || follow.path !== path) return;
    pendingFollow.current = follow;
    revealFollow.current?.();
  }, [follow, path]);

  useEffect(() => {
    if (visible) editorRef.current?.layout();
  }, [visible]);

  const closedInfo = closed ? closedMessage(closed.code) : null;
  const saveText = save === 'saving' ? 'Saving…' : save === 'saved' ? 'Saved to disk' : null;

  return (
    <div
      className="collab-editor"
      hidden={!visible}
      id={`editor-tabs-panel-${path}`}
      role="tabpanel"
      aria-label={path}
    >
      <div
        className="collab-editor__surface"
        ref={container}
        data-testid={`editor-${path}`}
        data-synced={synced}
      />
      {closedInfo ? (
        <div className="collab-editor__overlay" role="alert">
          <EmptyState
            icon={<AlertIcon size={28} />}
            title={closedInfo.title}
            action={
              <div className="collab-editor__overlay-actions">
                {closed?.code === CloseCode.UnsupportedDocument ? (
                  <a
                    className="ui-button ui-button--primary"
                    href={api.files.downloadUrl(studioId, path)}
                    download
                  >
                    <DownloadIcon /> Download
                  </a>
                ) : null}
                <button type="button" className="ui-button" onClick={onCloseTab}>
                  Close tab
                </button>
              </div>
            }
          >
            {closedInfo.text}
          </EmptyState>
        </div>
      ) : null}
      <div className="status-line" data-testid="editor-status">
        <ConnectionStatus closed={Boolean(closed)} status={status} synced={synced} />
        {saveText ? <span data-testid="save-state">{saveText}</span> : null}
        {readOnly ? <span>Read only</span> : null}
        <span className="status-line__spacer" />
        <span>
          Ln {cursor.line}, Col {cursor.column}
        </span>
        <span>{language}</span>
      </div>
    </div>
  );
}
