import { useEffect, useRef, useState } from 'react';
import { Button } from './Button';
import { CheckIcon, CopyIcon } from './icons';

/** How long the button reads "Copied" before it can be read as "Copy" again. */
const COPIED_FEEDBACK_MS = 2000;

/**
 * Copies `text` to the clipboard and says so on the button. The Clipboard API is refused on
 * plain-HTTP origins other than localhost and when permission is denied; `onCopyFailed` lets
 * the caller select the text instead so Ctrl+C still works.
 */
export function CopyButton({
  text,
  label = 'Copy',
  accessibleLabel,
  onCopyFailed,
}: {
  text: string;
  label?: string;
  /** Names what is copied when the visible label alone is ambiguous ("Copy token"). */
  accessibleLabel?: string;
  onCopyFailed?(): void;
}) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(text);
    } catch {
      onCopyFailed?.();
      return;
    }
    setCopied(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(false), COPIED_FEEDBACK_MS);
  };

  return (
    <>
      <Button
        size="sm"
        icon={copied ? <CheckIcon /> : <CopyIcon />}
        aria-label={copied ? undefined : accessibleLabel}
        onClick={() => void copy()}
      >
        {copied ? 'Copied' : label}
      </Button>
      <span role="status" className="visually-hidden">
        {copied ? 'Copied to the clipboard' : ''}
      </span>
    </>
  );
}
