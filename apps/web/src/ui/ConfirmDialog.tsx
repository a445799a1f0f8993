import { type ReactNode, useState } from 'react';
import { Button } from './Button';
import { Dialog } from './Dialog';

/** A confirmation for destructive actions that names exactly what will be lost. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onClose,
  formatError = (failure) =>
    failure instanceof Error ? failure.message : 'Something went wrong — try again.',
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<void>;
  onClose(): void;
  /** Turns a rejection of `onConfirm` into a sentence (the API layer's `describeError`). */
  formatError?(error: unknown): string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(formatError(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog
      role="alertdialog"
      title={title}
      description={message}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button variant="danger" loading={busy} onClick={confirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error ? (
        <div className="ui-alert" role="alert">
          {error}
        </div>
      ) : null}
    </Dialog>
  );
}
