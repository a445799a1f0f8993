import type { KernelState, User } from '@studios/protocol';
import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { type CollabConnection, type CollabStatus, openCollabDocument } from '../../api/collab-socket';
import { awarenessUsers } from '../../shared/awareness-users';
import type { PresenceStore } from '../../shared/presence-store';
import { colorForUser } from '../../shared/user-color';
import { type NotebookDoc, notebookLanguage, openNotebookDoc, readKernel } from './notebook-doc';
import { RemoteCursorStyles } from './remote-cursor-styles';

export interface NotebookSession {
  nb: NotebookDoc;
  connection: CollabConnection;
}

export interface NotebookDocumentState {
  session: NotebookSession | null;
  status: CollabStatus;
  synced: boolean;
  closed: { code: number; reason: string } | null;
  /** The cells' maps in order; a new array whenever cells are added, removed or moved. */
  cells: Y.Map<unknown>[];
  kernel: KernelState | null;
  language: string;
}

/**
 * Opens one notebook's live document and follows what the notebook as a whole shows: the cell
 * list (not each cell's content: cells follow their own maps), the kernel, the language.
 * Doc, socket and awareness are created and destroyed in one effect (StrictMode mounts twice).
 */
export function useNotebookDocument(
  studioId: string,
  path: string,
  user: User,
  presence: PresenceStore,
  activeFile: string | null,
): NotebookDocumentState {
  const [session, setSession] = useState<NotebookSession | null>(null);
  const [status, setStatus] = useState<CollabStatus>('connecting');
  const [synced, setSynced] = useState(false);
  const [closed, setClosed] = useState<{ code: number; reason: string } | null>(null);
  const [cells, setCells] = useState<Y.Map<unknown>[]>([]);
  const [kernel, setKernel] = useState<KernelState | null>(null);
  const [language, setLanguage] = useState('python');

  useEffect(() => {
    const doc = new Y.Doc();
    const nb = openNotebookDoc(doc);
    const connection = openCollabDocument(studioId, path, doc, {
      onStatus: setStatus,
      onClosed: (code, reason) => setClosed({ code, reason }),
    });
    connection.awareness.setLocalStateField('user', {
      id: user.id,
      name: user.name,
      color: colorForUser(user.id),
      file: path,
    });
    const cursors = new RemoteCursorStyles();
    const onAwareness = () => {
      const states = connection.awareness.getStates();
      cursors.update(states, doc.clientID);
      presence.setDocumentUsers(path, awarenessUsers(states));
    };
    connection.awareness.on('change', onAwareness);
    onAwareness();

    const onCells = () => setCells(nb.cells.toArray());
    const onKernel = () => setKernel(readKernel(nb.kernel));
    const onMeta = () => setLanguage(notebookLanguage(nb.meta));
    nb.cells.observe(onCells);
    nb.kernel.observe(onKernel);
    nb.meta.observeDeep(onMeta);
    onCells();
    onKernel();
    onMeta();
    const onSync = (isSynced: boolean) => setSynced(isSynced);
    connection.on('sync', onSync);
    setSession({ nb, connection });

    return () => {
      connection.off('sync', onSync);
      connection.awareness.off('change', onAwareness);
      nb.cells.unobserve(onCells);
      nb.kernel.unobserve(onKernel);
      nb.meta.unobserveDeep(onMeta);
      nb.undo.destroy();
      cursors.dispose();
      connection.destroy();
      doc.destroy();
      presence.removeDocument(path);
      setSession(null);
    };
  }, [studioId, path, user.id, user.name, presence]);

  useEffect(() => {
    const awareness = session?.connection.awareness;
    const current = awareness?.getLocalState()?.user as Record<string, unknown> | undefined;
    if (awareness && current && activeFile && current.file !== activeFile) {
      awareness.setLocalStateField('user', { ...current, file: activeFile });
    }
  }, [activeFile, session]);

  return { session, status, synced, closed, cells, kernel, language };
}
