import { memo, useMemo, useState } from 'react';
import { OutputFrame } from './OutputFrame';
import { type OutputView, outputViews } from './output-model';
import { ansiToHtml, latexToHtml, markdownToHtml } from './safe-html';
import { truncateText } from './truncate';

/** A short, stable fingerprint of frame content: a changed output gets a fresh frame. */
function fingerprint(text: string): string {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  }
  return `${text.length}-${(hash >>> 0).toString(36)}`;
}

/** HTML made safe by safe-html.ts (DOMPurify, escaped ANSI, KaTeX from TeX). */
function SafeHtml({ html, className }: { html: string; className: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by safe-html.ts
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

function TruncatedText({ text, className }: { text: string; className: string }) {
  const [showAll, setShowAll] = useState(false);
  const cut = useMemo(() => truncateText(text), [text]);
  const shown = showAll || !cut.truncated ? text : cut.text;
  const html = useMemo(() => ansiToHtml(shown), [shown]);
  return (
    <>
      <SafeHtml className={className} html={html} />
      {cut.truncated && !showAll ? (
        <div className="nb-output-truncated" data-testid="output-truncated">
          {cut.hiddenLines.toLocaleString()} more lines ({Math.ceil(cut.hiddenChars / 1024).toLocaleString()}{' '}
          KB) not shown.{' '}
          <button type="button" className="nb-link-button" onClick={() => setShowAll(true)}>
            Show all
          </button>
        </div>
      ) : null}
    </>
  );
}

function JsonOutput({ value }: { value: unknown }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? 'null', [value]);
  return (
    <details className="nb-output-json" open={text.length < 2_000}>
      <summary>JSON</summary>
      <TruncatedText className="nb-output-text" text={text} />
    </details>
  );
}

function OutputItem({ view }: { view: OutputView }) {
  switch (view.kind) {
    case 'stream':
      return (
        <TruncatedText
          className={`nb-output-text ${view.name === 'stderr' ? 'nb-output-text--stderr' : ''}`}
          text={view.text}
        />
      );
    case 'text':
      return <TruncatedText className="nb-output-text" text={view.text} />;
    case 'error':
      return <TruncatedText className="nb-output-text nb-output-text--error" text={view.traceback} />;
    case 'image':
      return (
        <img
          className="nb-output-image"
          src={view.src}
          alt={view.alt}
          width={view.width}
          height={view.height}
          draggable={false}
        />
      );
    case 'json':
      return <JsonOutput value={view.value} />;
    case 'markdown':
      return <SafeHtml className="nb-markdown" html={markdownToHtml(view.source)} />;
    case 'latex':
      return <SafeHtml className="nb-markdown" html={latexToHtml(view.source)} />;
    case 'frame':
      return <OutputFrame key={fingerprint(view.html)} html={view.html} testId="output-frame" />;
    case 'unsupported':
      return (
        <div className="nb-output-unsupported">
          {view.mimes.length > 0
            ? `Output of type ${view.mimes.join(', ')} is not shown here.`
            : 'Unknown output.'}
        </div>
      );
  }
}

/** A code cell's outputs, rendered from nbformat JSON. */
export const OutputArea = memo(function OutputArea({ outputs }: { outputs: readonly unknown[] }) {
  const views = useMemo(() => outputViews(outputs), [outputs]);
  return (
    <div className="nb-outputs" data-testid="cell-outputs">
      {views.map((view, index) => (
        <div
          className={`nb-output nb-output--${view.kind}`}
          // biome-ignore lint/suspicious/noArrayIndexKey: outputs only grow at the end or are replaced wholesale
          key={index}
          data-testid="cell-output"
          data-kind={view.kind}
        >
          <OutputItem view={view} />
        </div>
      ))}
    </div>
  );
});
