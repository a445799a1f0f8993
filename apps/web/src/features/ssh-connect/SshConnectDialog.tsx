import { ErrorCode, type SshConnectInfo, type SshKeySummary } from '@studios/protocol';
import { type ReactNode, useState } from 'react';
import { ApiError, describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { navigate } from '../../shared/router';
import { routePath } from '../../shared/routes';
import { useStudio } from '../../shared/studio-context';
import { useAsyncResource } from '../../shared/use-async-resource';
import { Button } from '../../ui/Button';
import { CodeBlock } from '../../ui/CodeBlock';
import { Dialog } from '../../ui/Dialog';
import { Input } from '../../ui/Input';
import { CheckIcon, ExternalLinkIcon, PlusIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import { AddSshKeyDialog, GatewayOffNotice, keyTypeLabel } from '../ssh-keys';
import {
  cliCommand,
  sshCommand,
  suggestedIdentityFile,
  VIEWER_SSH_TOOLTIP,
  withIdentityFile,
} from './ssh-config-text';
import './ssh-connect.css';

const keysPage = routePath({ name: 'ssh-keys' });

function ManageKeysLink() {
  return (
    <a
      href={keysPage}
      onClick={(event) => {
        event.preventDefault();
        navigate(keysPage);
      }}
    >
      Manage SSH keys
    </a>
  );
}

/** Step 1: the person needs a registered key; without one they add it here or on the keys page. */
function KeyStep({
  keys,
  error,
  onRetry,
  onAdd,
}: {
  keys: SshKeySummary[] | null;
  error: unknown;
  onRetry(): void;
  onAdd(): void;
}) {
  if (error) {
    return (
      <div className="ui-alert" role="alert">
        Your SSH keys could not be loaded: {describeError(error)}{' '}
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      </div>
    );
  }
  if (keys === null) return <Spinner label="Loading your SSH keys" />;
  if (keys.length === 0) {
    return (
      <div className="ssh-connect__keys" data-testid="ssh-connect-no-keys">
        <p className="ssh-connect__text">
          You have no SSH keys on Studios yet. Add the public half of a key from your computer (make one with{' '}
          <code>ssh-keygen -t ed25519</code> if you have none).
        </p>
        <div className="ssh-connect__actions">
          <Button size="sm" variant="primary" icon={<PlusIcon />} onClick={onAdd}>
            Add SSH key
          </Button>
          <ManageKeysLink />
        </div>
      </div>
    );
  }
  return (
    <div className="ssh-connect__keys">
      <p className="ssh-connect__text">
        <CheckIcon className="ssh-connect__ok" aria-hidden="true" /> Studios knows{' '}
        {keys.length === 1 ? 'your key' : `your ${keys.length} keys`}:{' '}
        {keys.map((key, index) => (
          <span key={key.id}>
            {index > 0 ? ', ' : null}
            <strong>{key.name}</strong> ({keyTypeLabel(key.algorithm, key.bits)})
          </span>
        ))}
        .
      </p>
      <div className="ssh-connect__actions">
        <Button size="sm" variant="ghost" icon={<PlusIcon />} onClick={onAdd}>
          Add another key
        </Button>
        <ManageKeysLink />
      </div>
    </div>
  );
}

/** Steps 2–4 for a running gateway: config block, host key, editor links, the CLI alternative. */
function ConnectSteps({
  info,
  keys,
  studioId,
}: {
  info: SshConnectInfo;
  keys: SshKeySummary[] | null;
  studioId: string;
}) {
  // Until the person types a path, follow the key they registered (ed25519 → ~/.ssh/id_ed25519).
  const [typedPath, setTypedPath] = useState<string | null>(null);
  const identityFile = typedPath ?? suggestedIdentityFile(keys ?? [], info.sshConfig);
  const block = withIdentityFile(info.sshConfig, identityFile);
  return (
    <>
      <li className="ssh-connect__step">
        <h3 className="ssh-connect__heading">Add this Studio to your SSH config</h3>
        <Input
          label="Private key file"
          value={identityFile}
          onChange={(event) => setTypedPath(event.target.value)}
          spellCheck={false}
          autoComplete="off"
          hint="Where the private half of your key is on your computer; the block's IdentityFile follows it."
        />
        <p className="ssh-connect__text">
          Paste this at the end of <code>~/.ssh/config</code> (on Windows,{' '}
          <code>%USERPROFILE%\.ssh\config</code>):
        </p>
        <CodeBlock text={block} label="SSH config block" testId="ssh-config-block" />
        <p className="ssh-connect__text">
          Trust the gateway's host key by adding this line to <code>~/.ssh/known_hosts</code>. Its fingerprint
          is <code data-testid="ssh-connect-fingerprint">{info.gateway.hostKey.fingerprint}</code>: a client
          that asks you to confirm a key should show exactly that.
        </p>
        <CodeBlock text={info.gateway.knownHostsLine} label="known_hosts line" testId="ssh-known-hosts" />
      </li>
      <li className="ssh-connect__step">
        <h3 className="ssh-connect__heading">Open it</h3>
        <p className="ssh-connect__text">
          Needs the Remote - SSH extension (VS Code) or Cursor's built-in remote support.
        </p>
        <div className="ssh-connect__actions">
          <a className="ui-button ui-button--primary" href={info.vscodeUri} data-testid="ssh-open-vscode">
            <ExternalLinkIcon /> Open in VS Code
          </a>
          <a className="ui-button" href={info.cursorUri} data-testid="ssh-open-cursor">
            <ExternalLinkIcon /> Open in Cursor
          </a>
        </div>
        <p className="ssh-connect__text">Or from a terminal:</p>
        <CodeBlock text={sshCommand(info.hostAlias)} label="SSH command" copyLabel="Copy ssh command" />
      </li>
      <li className="ssh-connect__step">
        <h3 className="ssh-connect__heading">Prefer the command line?</h3>
        <p className="ssh-connect__text">The Studios CLI sets up the same connection:</p>
        <CodeBlock text={cliCommand(studioId)} label="CLI command" copyLabel="Copy CLI command" />
      </li>
    </>
  );
}

/** How to open the Studio in VS Code or Cursor over the Studios SSH gateway, step by step. */
export function SshConnectDialog({ onClose }: { onClose(): void }) {
  const { studio } = useStudio();
  const info = useAsyncResource(() => api.ssh.connectInfo(studio.id));
  const keys = useAsyncResource(api.ssh.keys.list);
  const [adding, setAdding] = useState(false);

  // One dialog at a time: stacked dialogs would both take Escape and Tab.
  if (adding) {
    return (
      <AddSshKeyDialog
        onClose={() => setAdding(false)}
        onAdded={(added) => {
          keys.update((list) => [added, ...(list ?? []).filter((item) => item.id !== added.id)]);
          setAdding(false);
        }}
      />
    );
  }

  let body: ReactNode;
  if (info.error) {
    // A viewer (or someone made one since the page loaded); other refusals speak for themselves.
    const forbidden = info.error instanceof ApiError && info.error.code === ErrorCode.Forbidden;
    body = (
      <div className="ui-alert" role="alert">
        {forbidden
          ? VIEWER_SSH_TOOLTIP
          : `The connection details could not be loaded: ${describeError(info.error)}`}{' '}
        {forbidden ? null : (
          <Button size="sm" onClick={() => void info.reload()}>
            Try again
          </Button>
        )}
      </div>
    );
  } else if (info.data === null) {
    body = <Spinner label="Loading the connection details" />;
  } else if (!info.data.gateway.enabled) {
    body = <GatewayOffNotice />;
  } else if (info.data.unavailable) {
    // The gateway would refuse this person (the local runtime: its administrator only): say why
    // now rather than after they have set everything up.
    body = (
      <div className="ui-alert" role="alert" data-testid="ssh-unavailable">
        {info.data.unavailable}
      </div>
    );
  } else {
    body = (
      <ol className="ssh-connect__steps">
        <li className="ssh-connect__step">
          <h3 className="ssh-connect__heading">Add your SSH key to Studios</h3>
          <KeyStep
            keys={keys.data}
            error={keys.error}
            onRetry={() => void keys.reload()}
            onAdd={() => setAdding(true)}
          />
        </li>
        <ConnectSteps info={info.data} keys={keys.data} studioId={studio.id} />
      </ol>
    );
  }

  return (
    <Dialog
      wide
      title="Open in VS Code or Cursor"
      description={`Work on “${studio.name}” from your own editor over SSH: its files, terminals and ports.`}
      onClose={onClose}
      footer={<Button onClick={onClose}>Done</Button>}
    >
      <div className="ssh-connect" data-testid="ssh-connect-dialog">
        {body}
      </div>
    </Dialog>
  );
}
