import { useRef, useState } from 'react';
import { CopyButton } from './CopyButton';

/** Selects everything in `element`, so Ctrl+C copies it when the Clipboard API is refused. */
function selectContents(element: HTMLElement | null) {
  const selection = window.getSelection();
  if (!element || !selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * Text to paste somewhere else (a shell command, a config block), in monospace with a Copy
 * button. `label` names it for screen readers and names what the button copies.
 */
export function CodeBlock({
  text,
  label,
  copyLabel = `Copy ${label}`,
  testId,
}: {
  text: string;
  label: string;
  /** The Copy button's accessible name; defaults to "Copy <label>". */
  copyLabel?: string;
  testId?: string;
}) {
  const textRef = useRef<HTMLPreElement>(null);
  const [copyFailed, setCopyFailed] = useState(false);
  return (
    <figure className="ui-code">
      <figcaption className="visually-hidden">{label}</figcaption>
      <div className="ui-code__row">
        <pre ref={textRef} className="ui-code__text" data-testid={testId}>
          <code>{text}</code>
        </pre>
        <div className="ui-code__copy">
          <CopyButton
            text={text}
            accessibleLabel={copyLabel}
            onCopyFailed={() => {
              setCopyFailed(true);
              selectContents(textRef.current);
            }}
          />
        </div>
      </div>
      {copyFailed ? (
        <p className="ui-code__hint" role="alert">
          Your browser did not allow copying. The text is selected: press Ctrl+C (⌘C on a Mac) to copy it.
        </p>
      ) : null}
    </figure>
  );
}
