import { CloseCode, ErrorCode } from '@studios/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { useStudio } from '../../shared/studio-context';
import { colorForUser } from '../../shared/user-color';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { IconButton } from '../../ui/IconButton';
import { PlayIcon, PlusIcon, TerminalIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import { Tabs } from '../../ui/Tabs';
import { useToast } from '../../ui/Toast';
import { TerminalView } from './TerminalView';
import { followTerminalList, nextActiveTab, type TerminalTab, toTab } from './terminal-tabs';
import './terminal.css';

/**
 * The bottom panel: shared terminal sessions as tabs, each attached live. The tab list follows
 * the Studio's `terminals` events, so terminals others open, rename or close show up here.
 */
export function TerminalPanel() {
  const { studio, runtime, canWrite, start, events } = useStudio();
  const toast = useToast();
  const [tabs, setTabs] = useState<TerminalTab[] | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [closing, setClosing] = useState<TerminalTab | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const running = runtime.state === 'running';
  const tabsRef = useRef(tabs);
  tabsRef.current = tabs;
  /** Terminals whose closing was announced (or closed here): a toast at most once each. */
  const announced = useRef(new Set<string>());
  const shownIds = useRef<string[]>([]);

  const load = useCallback(() => {
    setLoadError(null);
    api.terminals
      .list(studio.id)
      .then((list) => setTabs(list.map(toTab)))
      .catch((error: unknown) => setLoadError(error));
  }, [studio.id]);

  useEffect(() => {
    if (running) load();
    else setTabs(null);
  }, [running, load]);

  const announceClosed = useCallback(
    (tab: TerminalTab) => {
      if (announced.current.has(tab.info.id)) return;
      announced.current.add(tab.info.id);
      toast.show({ title: `“${tab.info.name}” was closed` });
    },
    [toast],
  );

  useEffect(() => {
    if (!running) return;
    return events.subscribe((event) => {
      // A reconnected events socket may have missed changes.
      if (event.type === 'hello') load();
      if (event.type !== 'terminals') return;
      const listed = new Set(event.terminals.map((info) => info.id));
      for (const tab of tabsRef.current ?? []) if (!listed.has(tab.info.id)) announceClosed(tab);
      setTabs((current) => (current ? followTerminalList(current, event.terminals) : current));
    });
  }, [running, events, load, announceClosed]);

  // When the active tab goes away (closed here or by someone else), show its neighbour.
  useEffect(() => {
    const before = shownIds.current;
    const after = tabs?.map((tab) => tab.info.id) ?? [];
    shownIds.current = after;
    setActiveId((current) => nextActiveTab(before, after, current));
  }, [tabs]);

  const update = (id: string, change: (tab: TerminalTab) => TerminalTab) =>
    setTabs((list) => list?.map((tab) => (tab.info.id === id ? change(tab) : tab)) ?? null);

  const remove = (id: string) => setTabs((list) => list?.filter((tab) => tab.info.id !== id) ?? null);

  const create = async () => {
    setCreating(true);
    try {
      const info = await api.terminals.create(studio.id, { name: `Terminal ${(tabs?.length ?? 0) + 1}` });
      setTabs((list) => [...(list ?? []).filter((tab) => tab.info.id !== info.id), toTab(info)]);
      setActiveId(info.id);
    } catch (error) {
      toast.show({ tone: 'danger', title: 'Could not open a terminal', message: describeError(error) });
    } finally {
      setCreating(false);
    }
  };

  const rename = async (tab: TerminalTab, name: string) => {
    setRenaming(null);
    const trimmed = name.trim();
    if (!trimmed || trimmed === tab.info.name) return;
    update(tab.info.id, (current) => ({ ...current, info: { ...current.info, name: trimmed } }));
    try {
      await api.terminals.rename(studio.id, tab.info.id, trimmed);
    } catch (error) {
      update(tab.info.id, (current) => ({ ...current, info: { ...current.info, name: tab.info.name } }));
      toast.show({ tone: 'danger', title: 'Could not rename the terminal', message: describeError(error) });
    }
  };

  const onGone = (tab: TerminalTab, code: number) => {
    remove(tab.info.id);
    if (code === CloseCode.Gone) announceClosed(tab);
    else if (code === CloseCode.Forbidden)
      toast.show({ tone: 'danger', title: 'You no longer have access to this terminal' });
  };

  let body: React.ReactNode;
  if (!running) {
    body = (
      <EmptyState
        icon={<TerminalIcon size={28} />}
        title={
          runtime.state === 'starting'
            ? 'The Studio is starting…'
            : runtime.state === 'error'
              ? 'The Studio failed to start'
              : 'The Studio is stopped'
        }
        action={
          runtime.state === 'stopped' || runtime.state === 'error' ? (
            <Button icon={<PlayIcon />} onClick={start}>
              {canWrite ? 'Start Studio' : 'Wake Studio'}
            </Button>
          ) : (
            <Spinner label="Starting" />
          )
        }
      >
        {runtime.state === 'error'
          ? `${runtime.message ?? 'Something went wrong.'} Try starting it again.`
          : runtime.state === 'starting'
            ? 'Terminals open as soon as it is running.'
            : 'Start it to open a terminal.'}
      </EmptyState>
    );
  } else if (loadError instanceof ApiError && loadError.code === ErrorCode.LocalRuntimeAdminOnly) {
    // Not a failure to retry: this server gives terminals to its administrator only.
    body = (
      <div data-testid="terminals-admin-only">
        <EmptyState icon={<TerminalIcon size={28} />} title="Terminals need Docker on this server">
          {loadError.message}
        </EmptyState>
      </div>
    );
  } else if (loadError) {
    body = (
      <EmptyState title="Terminals could not be loaded" action={<Button onClick={load}>Try again</Button>}>
        {describeError(loadError)}
      </EmptyState>
    );
  } else if (tabs === null) {
    body = <Spinner label="Loading terminals" />;
  } else if (tabs.length === 0) {
    body = (
      <EmptyState
        icon={<TerminalIcon size={28} />}
        title="No terminals open"
        action={
          canWrite ? (
            <Button icon={<PlusIcon />} loading={creating} onClick={create}>
              New terminal
            </Button>
          ) : null
        }
      >
        {canWrite
          ? 'Terminals are shared: everyone in the Studio sees the same session.'
          : 'When an editor opens a terminal you can watch it here.'}
      </EmptyState>
    );
  } else {
    body = tabs.map((tab) => (
      <TerminalView
        key={tab.info.id}
        studioId={studio.id}
        terminalId={tab.info.id}
        canWrite={canWrite && tab.exited === null}
        visible={tab.info.id === activeId}
        onAttached={(attached) => update(tab.info.id, (current) => ({ ...current, attached }))}
        onTitle={(title) => update(tab.info.id, (current) => ({ ...current, title }))}
        onExit={(code) => update(tab.info.id, (current) => ({ ...current, exited: code }))}
        onGone={(code) => onGone(tab, code)}
      />
    ));
  }

  return (
    <section className="terminal-panel" aria-label="Terminals" data-testid="terminal-panel">
      <div className="terminal-panel__bar">
        <span className="panel-header__title terminal-panel__heading">
          <TerminalIcon size={14} /> Terminal
        </span>
        {tabs && tabs.length > 0 ? (
          <Tabs
            label="Terminals"
            idPrefix="terminal-tabs"
            activeId={activeId}
            onSelect={setActiveId}
            onClose={
              canWrite ? (id) => setClosing(tabs.find((tab) => tab.info.id === id) ?? null) : undefined
            }
            onDoubleClick={canWrite ? setRenaming : undefined}
            items={tabs.map((tab) => ({
              id: tab.info.id,
              title: tab.title ? `${tab.info.name} — ${tab.title}` : tab.info.name,
              testId: `terminal-tab-${tab.info.id}`,
              label:
                renaming === tab.info.id ? (
                  <input
                    className="ui-input ui-input--sm terminal-panel__rename"
                    aria-label="Terminal name"
                    defaultValue={tab.info.name}
                    maxLength={60}
                    // biome-ignore lint/a11y/noAutofocus: the user just asked to rename
                    autoFocus
                    onClick={(event) => event.stopPropagation()}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') void rename(tab, event.currentTarget.value);
                      if (event.key === 'Escape') setRenaming(null);
                    }}
                    onBlur={(event) => void rename(tab, event.currentTarget.value)}
                  />
                ) : (
                  <>
                    {tab.info.name}
                    {tab.exited !== null ? <span className="terminal-panel__exited"> (exited)</span> : null}
                  </>
                ),
              extra: (
                <span className="terminal-panel__attached" title={`${tab.attached.length} attached`}>
                  {tab.attached.slice(0, 3).map((person) => (
                    <Avatar
                      key={person.userId}
                      size="sm"
                      name={person.name}
                      color={colorForUser(person.userId)}
                      title={`${person.name}${person.canWrite ? '' : ' (viewing)'}`}
                    />
                  ))}
                </span>
              ),
            }))}
          />
        ) : (
          <span className="terminal-panel__fill" />
        )}
        {canWrite && running ? (
          <IconButton
            label="New terminal"
            icon={creating ? <Spinner /> : <PlusIcon />}
            onClick={create}
            disabled={creating}
            data-testid="new-terminal"
          />
        ) : null}
      </div>
      <div className="terminal-panel__body">{body}</div>
      {closing ? (
        <ConfirmDialog
          title={`Close “${closing.info.name}”?`}
          message="The shell and anything running in it stop for everyone attached."
          confirmLabel="Close terminal"
          formatError={describeError}
          onClose={() => setClosing(null)}
          onConfirm={async () => {
            const { id } = closing.info;
            // Closed by us: no "was closed" toast, whichever of socket, event or answer is first.
            announced.current.add(id);
            try {
              await api.terminals.close(studio.id, id);
            } catch (error) {
              announced.current.delete(id);
              throw error;
            }
            remove(id);
            setClosing(null);
          }}
        />
      ) : null}
    </section>
  );
}
