import { CodeBlock } from '../../ui/CodeBlock';
import { curlExample } from './token-text';

/** The one-line `curl` that lists Studios with a token, ready to paste into a shell. */
export function CurlExample({ token, label }: { token: string; label: string }) {
  return (
    <CodeBlock
      text={curlExample(window.location.origin, token)}
      label={label}
      copyLabel="Copy command"
      testId="token-curl-example"
    />
  );
}
