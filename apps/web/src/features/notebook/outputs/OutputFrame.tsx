import { useEffect, useRef, useState } from 'react';
import { currentTheme } from '../../../shared/theme';

/** Served by the server with a sandboxing CSP (apps/server/src/http/middleware.ts). */
export const OUTPUT_FRAME_URL = '/notebook-output-frame.html';
const MAX_HEIGHT = 4_000;

/**
 * HTML, SVG or JavaScript output in a frame that can never reach the IDE: `sandbox=
 * "allow-scripts"` without allow-same-origin gives it an opaque origin (no cookies, storage,
 * DOM or API of ours), the page's own CSP keeps it off the network, and its content arrives
 * by postMessage (a `srcdoc` frame would inherit our CSP and be tied to our document). Only
 * messages from this frame's window are listened to.
 */
export function OutputFrame({ html, testId }: { html: string; testId: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(24);

  // The frame renders the first content it is sent and ignores the rest, so sending on both its
  // "ready" message and its load event is safe, and covers a frame that was ready before we listened.
  const send = () =>
    frame.current?.contentWindow?.postMessage(
      { type: 'studios-output-render', html, theme: currentTheme() },
      '*',
    );

  // biome-ignore lint/correctness/useExhaustiveDependencies: send reads the same html
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const target = frame.current?.contentWindow;
      if (!target || event.source !== target) return;
      const data = event.data as { type?: unknown; height?: unknown } | null;
      if (data?.type === 'studios-output-ready') {
        send();
      } else if (data?.type === 'studios-output-height' && typeof data.height === 'number') {
        setHeight(Math.max(0, Math.min(MAX_HEIGHT, Math.ceil(data.height))));
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [html]);

  return (
    <iframe
      ref={frame}
      className="nb-output-frame"
      title="Notebook output"
      src={OUTPUT_FRAME_URL}
      sandbox="allow-scripts allow-popups"
      referrerPolicy="no-referrer"
      onLoad={send}
      style={{ height }}
      scrolling={height >= MAX_HEIGHT ? 'yes' : 'no'}
      data-testid={testId}
    />
  );
}
