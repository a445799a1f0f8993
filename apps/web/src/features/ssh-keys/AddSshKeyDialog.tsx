import type { SshKeySummary } from '@studios/protocol';
import { useState } from 'react';
import { api } from '../../api/client';
import { FormDialog } from '../../ui/FormDialog';
import { Input, TextArea } from '../../ui/Input';
import {
  checkPublicKeyText,
  describeSshKeyError,
  keyNameFromPublicKey,
  NEW_KEY_COMMAND,
  SHOW_KEY_COMMAND,
  SSH_KEY_NAME_MAX,
} from './ssh-key-text';
import './ssh-keys.css';

/**
 * Registers a public key: paste the `.pub` line, and the name follows the key's comment until
 * the person types one of their own. The server's answer goes to `onAdded`.
 */
export function AddSshKeyDialog({
  onClose,
  onAdded,
}: {
  onClose(): void;
  onAdded(key: SshKeySummary): void;
}) {
  const [publicKey, setPublicKey] = useState('');
  const [typedName, setTypedName] = useState<string | null>(null);
  const name = typedName ?? keyNameFromPublicKey(publicKey);
  // FormDialog has one error; this says which field it belongs under (the server's are the key's).
  const [errorOn, setErrorOn] = useState<'key' | 'name'>('key');

  return (
    <FormDialog
      title="Add SSH key"
      description="This key will open the Studios you own or edit from VS Code, Cursor, or any SSH client."
      submitLabel="Add key"
      validate={() => {
        const keyProblem = checkPublicKeyText(publicKey);
        setErrorOn(keyProblem || name.trim() ? 'key' : 'name');
        return keyProblem ?? (name.trim() ? null : 'Give the key a name, such as the computer it lives on.');
      }}
      onSubmit={async () =>
        onAdded(await api.ssh.keys.add({ name: name.trim(), publicKey: publicKey.trim() }))
      }
      formatError={describeSshKeyError}
      onClose={onClose}
    >
      {(error) => (
        <>
          <TextArea
            label="Public key"
            className="ssh-key-dialog__key"
            value={publicKey}
            onChange={(event) => setPublicKey(event.target.value)}
            placeholder="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… you@laptop"
            spellCheck={false}
            autoComplete="off"
            autoFocus
            rows={4}
            error={errorOn === 'key' ? error : null}
            hint={
              <>
                Paste the line printed by <code>{SHOW_KEY_COMMAND}</code>. No key yet? Make one with{' '}
                <code>{NEW_KEY_COMMAND}</code>.
              </>
            }
          />
          <Input
            label="Name"
            value={name}
            onChange={(event) => setTypedName(event.target.value)}
            maxLength={SSH_KEY_NAME_MAX}
            placeholder="laptop"
            error={errorOn === 'name' ? error : null}
            hint="So you can tell your keys apart; taken from the key's comment unless you type one."
          />
        </>
      )}
    </FormDialog>
  );
}
