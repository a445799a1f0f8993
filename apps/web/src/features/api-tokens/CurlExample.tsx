import { CopyButton } from './CopyButton';
import { curlExample } from './token-text';

/** The one-line `curl` that lists Studios with a token, ready to paste into a shell. */
export function CurlExample({ token, label }: { token: string; label: string }) {
  const command = curlExample(window.location.origin, token);
  return (
    <figure className="token-code">
      <figcaption className="visually-hidden">{label}</figcaption>
      <pre className="token-code__text" data-testid="token-curl-example">
        <code>{command}</code>
      </pre>
      <div className="token-code__copy">
        <CopyButton text={command} accessibleLabel="Copy command" />
      </div>
    </figure>
  );
}
