import type { SshKeySummary } from '@studios/protocol';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { AppShell } from '../../shared/AppShell';
import { LoadedList } from '../../shared/LoadedList';
import { describePastTime, exactTime } from '../../shared/relative-time';
import { useAsyncResource } from '../../shared/use-async-resource';
import { Button } from '../../ui/Button';
import { CodeBlock } from '../../ui/CodeBlock';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { PlusIcon, TerminalIcon, TrashIcon } from '../../ui/icons';
import { useToast } from '../../ui/Toast';
import { AddSshKeyDialog } from './AddSshKeyDialog';
import { GatewaySection } from './GatewayDetails';
import { keyTypeLabel, NEW_KEY_COMMAND } from './ssh-key-text';
import './ssh-keys.css';

type Dialogs = { kind: 'add' } | { kind: 'delete'; key: SshKeySummary } | null;

function KeyTime({ iso, now }: { iso: string | null; now: number }) {
  if (iso === null) return <span className="ssh-key-table__never">Never</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {describePastTime(iso, now)}
    </time>
  );
}

function KeyTable({
  keys,
  onDelete,
}: {
  keys: readonly SshKeySummary[];
  onDelete(key: SshKeySummary): void;
}) {
  const now = Date.now();
  return (
    <table className="ui-table ssh-key-table">
      <caption className="visually-hidden">Your SSH keys</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Key</th>
          <th scope="col">Comment</th>
          <th scope="col">Added</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.id} data-testid={`ssh-key-row-${key.id}`}>
            <th scope="row" className="ssh-key-table__name">
              {key.name}
            </th>
            <td>
              <span className="ssh-key-table__type">{keyTypeLabel(key.algorithm, key.bits)}</span>
              <code className="ssh-key-table__fingerprint" data-testid="ssh-key-fingerprint">
                {key.fingerprint}
              </code>
            </td>
            <td className="ssh-key-table__comment">
              {key.comment || <span className="ssh-key-table__never">None</span>}
            </td>
            <td>
              <KeyTime iso={key.createdAt} now={now} />
            </td>
            <td>
              <KeyTime iso={key.lastUsedAt} now={now} />
            </td>
            <td className="ssh-key-table__actions">
              <Button
                size="sm"
                variant="ghost"
                icon={<TrashIcon />}
                aria-label={`Delete ${key.name}`}
                onClick={() => onDelete(key)}
              >
                Delete
              </Button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Settings › SSH keys: the public keys that let you into your Studios over SSH, and the gateway's host key. */
export function SshKeysPage() {
  // "Last used" moves while editors connect elsewhere, so refresh when the tab comes back into view.
  const {
    data: keys,
    error: loadError,
    reload: load,
    update: setKeys,
  } = useAsyncResource(api.ssh.keys.list, { refreshOnVisible: true });
  const [dialog, setDialog] = useState<Dialogs>(null);
  const toast = useToast();
  const openAdd = () => setDialog({ kind: 'add' });

  return (
    <AppShell
      title="SSH keys"
      actions={
        <Button variant="primary" icon={<PlusIcon />} onClick={openAdd}>
          Add SSH key
        </Button>
      }
    >
      <div className="ssh-keys-page">
        <p className="ssh-keys-page__intro">
          SSH keys let you open your Studios in VS Code, Cursor, or any SSH client (ssh, sftp, scp). A key
          opens every Studio you own or edit; viewers cannot connect. To connect, open a Studio and choose{' '}
          <strong>VS Code / Cursor</strong> in its header.
        </p>
        <LoadedList
          items={keys}
          error={loadError}
          onRetry={load}
          what="your SSH keys"
          empty={
            <EmptyState
              icon={<TerminalIcon size={32} />}
              title="No SSH keys yet"
              action={
                <Button variant="primary" icon={<PlusIcon />} onClick={openAdd}>
                  Add your first key
                </Button>
              }
            >
              Add the public half of a key pair from your computer. If you have none, make one with{' '}
              <code>{NEW_KEY_COMMAND}</code>.
            </EmptyState>
          }
        >
          {(list) => <KeyTable keys={list} onDelete={(key) => setDialog({ kind: 'delete', key })} />}
        </LoadedList>
        <GatewaySection />
        <section className="ssh-keys-page__section" aria-labelledby="ssh-new-key-title">
          <h2 id="ssh-new-key-title" className="ssh-keys-page__heading">
            Making a key
          </h2>
          <p className="ssh-keys-page__text">
            Make one on your computer (press Enter to accept the default file), then add the contents of the{' '}
            <code>.pub</code> file it prints the path of:
          </p>
          <CodeBlock text={NEW_KEY_COMMAND} label="Command making a new key" copyLabel="Copy command" />
        </section>
      </div>
      {dialog?.kind === 'add' ? (
        <AddSshKeyDialog
          onClose={() => setDialog(null)}
          onAdded={(added) => {
            setKeys((list) => [added, ...(list ?? []).filter((item) => item.id !== added.id)]);
            setDialog(null);
            toast.show({ tone: 'success', title: `Added “${added.name}”` });
          }}
        />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete “${dialog.key.name}”?`}
          message={`The key ${dialog.key.fingerprint} will no longer open your Studios, and open SSH sessions using this key will be closed. This cannot be undone.`}
          confirmLabel="Delete key"
          formatError={describeError}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { key } = dialog;
            try {
              await api.ssh.keys.remove(key.id);
            } catch (error) {
              // Deleted meanwhile (another tab): the outcome the person asked for.
              if (!(error instanceof ApiError && error.status === 404)) throw error;
            }
            setDialog(null);
            setKeys((list) => list?.filter((item) => item.id !== key.id) ?? null);
            toast.show({ tone: 'success', title: `Deleted “${key.name}”` });
          }}
        />
      ) : null}
    </AppShell>
  );
}
