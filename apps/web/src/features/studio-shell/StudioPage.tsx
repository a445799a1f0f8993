import { RoleAbility } from '@studios/protocol';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, describeError } from '../../api/api-error';
import { retryingLazy } from '../../shared/chunk-retry';
import { LoadBoundary } from '../../shared/LoadBoundary';
import { PresenceStore } from '../../shared/presence-store';
import { navigate } from '../../shared/router';
import { useCurrentUser, useSession } from '../../shared/session';
import { type FollowRequest, StudioContext, type StudioContextValue } from '../../shared/studio-context';
import { isWithin } from '../../shared/workspace-path';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { AlertIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { FileExplorer } from '../files';
import { MembersDialog } from '../members';
import { useIdleWarning } from '../runtime';
import { PanelResizer } from './PanelResizer';
import { StudioHeader } from './StudioHeader';
import { useStudioConnection } from './use-studio-connection';
import './studio.css';

// Monaco (~1.3 MB gzip) and xterm.js load after the frame of the Studio is on screen.
const LazyEditorArea = retryingLazy(
  'src/features/editor/index.ts',
  () => import('../editor'),
  (m) => m.EditorArea,
);
const LazyTerminalPanel = retryingLazy(
  'src/features/terminal/index.ts',
  () => import('../terminal'),
  (m) => m.TerminalPanel,
);

function loadFailure(error: unknown): { title: string; message: string } {
  if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
    return {
      title: 'Studio not found',
      message: 'It does not exist, was deleted, or you are not a member. Ask its owner to invite you.',
    };
  }
  return { title: 'This Studio could not be opened', message: describeError(error) };
}

/** An open Studio: header, file explorer, editors and terminals, all aware of the caller's role. */
export function StudioPage({ studioId }: { studioId: string }) {
  const user = useCurrentUser();
  const { logout } = useSession();
  const toast = useToast();
  const onError = useCallback((message: string) => toast.show({ tone: 'danger', title: message }), [toast]);
  const connection = useStudioConnection(studioId, onError);
  const { studio, loadError, gone, socketStatus, progress, events, start, applyRuntimeAnswer } = connection;
  const presence = useMemo(() => new PresenceStore(user.id), [user.id]);
  const [openFiles, setOpenFiles] = useState<string[]>([]);
  const [activeFile, setActiveFile] = useState<string | null>(null);
  const [follow, setFollow] = useState<FollowRequest | null>(null);
  const [membersOpen, setMembersOpen] = useState(false);
  const [terminalHeight, setTerminalHeight] = useState(260);

  useIdleWarning(events, start);

  const openFile = useCallback((path: string) => {
    setOpenFiles((list) => (list.includes(path) ? list : [...list, path]));
    setActiveFile(path);
  }, []);

  const closeFile = useCallback((path: string) => {
    setOpenFiles((list) => {
      const index = list.indexOf(path);
      const next = list.filter((item) => item !== path);
      setActiveFile((current) =>
        current === path ? (next[Math.min(index, next.length - 1)] ?? null) : current,
      );
      return next;
    });
  }, []);

  const fileMoved = useCallback((from: string, to: string) => {
    const rename = (path: string) => (isWithin(path, from) ? to + path.slice(from.length) : path);
    setOpenFiles((list) => list.map(rename));
    setActiveFile((current) => (current ? rename(current) : current));
  }, []);

  // Tabs of deleted files close; their sockets would end with 4410 anyway.
  useEffect(
    () =>
      events.subscribe((event) => {
        if (event.type !== 'files') return;
        for (const change of event.changes) {
          if (change.kind !== 'removed') continue;
          setOpenFiles((list) => list.filter((path) => !isWithin(path, change.path)));
          setActiveFile((current) => (current && isWithin(current, change.path) ? null : current));
        }
      }),
    [events],
  );

  useEffect(() => {
    if (activeFile === null && openFiles.length > 0) setActiveFile(openFiles[openFiles.length - 1] ?? null);
  }, [activeFile, openFiles]);

  useEffect(() => {
    if (studio) document.title = `${studio.name} — Studios`;
    return () => {
      document.title = 'Studios';
    };
  }, [studio]);

  const context = useMemo<StudioContextValue | null>(() => {
    if (!studio) return null;
    const ability = RoleAbility[studio.role];
    return {
      studio,
      user,
      role: studio.role,
      canWrite: ability.write,
      canManage: ability.manage,
      runtime: studio.runtime,
      events,
      presence,
      activeFile,
      openFile,
      fileMoved,
      follow,
      followUser: (userId, path) => {
        openFile(path);
        setFollow({ userId, path, nonce: Date.now() });
      },
      start,
    };
  }, [studio, user, events, presence, activeFile, openFile, fileMoved, follow, start]);

  if (gone) {
    return (
      <div className="app-center">
        <EmptyState
          icon={<AlertIcon size={32} />}
          title={gone.title}
          action={
            gone.signedOut ? (
              <Button variant="primary" onClick={() => void logout()}>
                Log in again
              </Button>
            ) : (
              <Button variant="primary" onClick={() => navigate('/')}>
                Go to your Studios
              </Button>
            )
          }
        >
          {gone.message}
        </EmptyState>
      </div>
    );
  }
  if (loadError) {
    const failure = loadFailure(loadError);
    return (
      <div className="app-center">
        <EmptyState
          icon={<AlertIcon size={32} />}
          title={failure.title}
          action={
            <Button variant="primary" onClick={() => navigate('/')}>
              Go to your Studios
            </Button>
          }
        >
          {failure.message}
        </EmptyState>
      </div>
    );
  }
  if (!context) {
    return (
      <div className="app-center">
        <Spinner size="lg" label="Opening Studio" />
      </div>
    );
  }

  return (
    <StudioContext.Provider value={context}>
      <div className="studio">
        <StudioHeader
          progress={progress}
          offline={socketStatus === 'reconnecting'}
          onRuntime={applyRuntimeAnswer}
          onMembers={() => setMembersOpen(true)}
        />
        <div className="studio-body">
          <aside className="studio-sidebar">
            <FileExplorer />
          </aside>
          <main className="studio-work">
            <div className="studio-work__editor">
              <LoadBoundary part="the editor" onRetry={LazyEditorArea.renew}>
                {() => (
                  <Suspense
                    fallback={
                      <div className="studio-loading">
                        <Spinner label="Loading the editor" />
                      </div>
                    }
                  >
                    <LazyEditorArea.Component
                      openFiles={openFiles}
                      onSelect={setActiveFile}
                      onClose={closeFile}
                    />
                  </Suspense>
                )}
              </LoadBoundary>
            </div>
            <PanelResizer
              height={terminalHeight}
              min={120}
              max={Math.max(200, window.innerHeight - 220)}
              onResize={setTerminalHeight}
            />
            <div className="studio-work__terminal" style={{ height: terminalHeight }}>
              <LoadBoundary part="the terminals" onRetry={LazyTerminalPanel.renew}>
                {() => (
                  <Suspense
                    fallback={
                      <div className="studio-loading">
                        <Spinner label="Loading terminals" />
                      </div>
                    }
                  >
                    <LazyTerminalPanel.Component />
                  </Suspense>
                )}
              </LoadBoundary>
            </div>
          </main>
        </div>
      </div>
      {membersOpen ? <MembersDialog onClose={() => setMembersOpen(false)} /> : null}
    </StudioContext.Provider>
  );
}
