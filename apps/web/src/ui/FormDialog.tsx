import { type FormEvent, type ReactNode, useState } from 'react';
import { Button } from './Button';
import { Dialog } from './Dialog';

/**
 * A dialog that is one small form: Cancel and a submit button in the footer, the button spinning
 * while `onSubmit` runs, and a check or server failure shown inline by the field in `children`.
 */
export function FormDialog({
  title,
  description,
  formLabel = title,
  submitLabel,
  validate,
  onSubmit,
  onClose,
  formatError = (failure) =>
    failure instanceof Error ? failure.message : 'Something went wrong — try again.',
  children,
}: {
  title: string;
  description?: ReactNode;
  /** The form's accessible name, when it differs from the dialog title. */
  formLabel?: string;
  submitLabel: string;
  /** Returns a message to show instead of submitting, or null when the input is fine. */
  validate?(): string | null;
  /** On success the caller closes the dialog, so the button keeps spinning until it goes. */
  onSubmit(): Promise<void>;
  onClose(): void;
  /** Turns a rejection of `onSubmit` into a sentence (the API layer's `describeError`). */
  formatError?(error: unknown): string;
  /** The fields; `error` belongs on the field it is about. */
  children(error: string | null): ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = validate?.() ?? null;
    if (invalid) {
      setError(invalid);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
    } catch (failure) {
      setError(formatError(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} description={description} onClose={onClose}>
      <form onSubmit={submit} className="dialog-form" aria-label={formLabel}>
        {children(error)}
        <div className="dialog-form__footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
