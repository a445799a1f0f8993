import type { TokenCreated } from '@studios/protocol';
import { useRef, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { Dialog } from '../../ui/Dialog';
import { FormDialog } from '../../ui/FormDialog';
import { Input } from '../../ui/Input';
import { AlertIcon } from '../../ui/icons';
import { CurlExample } from './CurlExample';

/** Same limit as `TokenCreateBody` in the protocol. */
const TOKEN_NAME_MAX = 80;

/** Names a new token; the server's answer (with the secret) goes to `onCreated`. */
export function CreateTokenDialog({
  onClose,
  onCreated,
}: {
  onClose(): void;
  onCreated(token: TokenCreated): void;
}) {
  const [name, setName] = useState('');

  return (
    <FormDialog
      title="New API token"
      description="Scripts and tools that send this token act as you: they can see and change all your Studios."
      submitLabel="Create token"
      validate={() =>
        name.trim() ? null : 'Give the token a name, such as the script or machine that will use it'
      }
      onSubmit={async () => onCreated(await api.tokens.create(name.trim()))}
      formatError={describeError}
      onClose={onClose}
    >
      {(error) => (
        <Input
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={TOKEN_NAME_MAX}
          autoFocus
          placeholder="ci-deploy"
          hint="So you can tell your tokens apart later."
          error={error}
        />
      )}
    </FormDialog>
  );
}

/**
 * Shows a just-created token's secret, the only time it is ever shown: the server keeps a hash,
 * so once this closes the token can be revoked but not read again.
 */
export function NewTokenDialog({ token, onClose }: { token: TokenCreated; onClose(): void }) {
  const fieldRef = useRef<HTMLInputElement>(null);
  const [copyFailed, setCopyFailed] = useState(false);

  return (
    <Dialog
      wide
      title={`Copy your token “${token.name}”`}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <div className="new-token">
        <div className="ui-alert ui-alert--warning new-token__warning" role="alert">
          <AlertIcon aria-hidden="true" />
          <span>
            <strong>Copy it now: you won't see it again.</strong> Store it somewhere safe, like a password
            manager or your CI's secrets. If you lose it, revoke it and create a new one.
          </span>
        </div>
        <div className="new-token__field">
          <Input
            ref={fieldRef}
            label="Your new token"
            className="new-token__input"
            value={token.token}
            readOnly
            spellCheck={false}
            autoComplete="off"
            data-autofocus
            onFocus={(event) => event.currentTarget.select()}
            error={
              copyFailed
                ? 'Your browser did not allow copying. The token is selected: press Ctrl+C (⌘C on a Mac) to copy it.'
                : null
            }
          />
          <CopyButton
            text={token.token}
            accessibleLabel="Copy token"
            onCopyFailed={() => {
              setCopyFailed(true);
              fieldRef.current?.focus();
              fieldRef.current?.select();
            }}
          />
        </div>
        <div className="ui-field">
          <span className="ui-field__label">Try it: list your Studios</span>
          <CurlExample token={token.token} label="Example command using your new token" />
        </div>
      </div>
    </Dialog>
  );
}
