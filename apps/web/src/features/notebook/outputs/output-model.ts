/**
 * nbformat outputs → what the notebook shows for each (pure, no DOM). The decisions that matter
 * for safety are here: anything that can carry script (HTML, SVG, JavaScript) becomes a `frame`
 * view, rendered only inside the sandboxed output frame, never in the IDE's document.
 * nbformat: https://nbformat.readthedocs.io/en/latest/format_description.html#code-cell-outputs
 */

export type OutputView =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'error'; ename: string; evalue: string; traceback: string }
  | { kind: 'text'; text: string }
  | { kind: 'image'; src: string; mime: string; alt: string; width?: number; height?: number }
  | { kind: 'json'; value: unknown }
  | { kind: 'markdown'; source: string }
  | { kind: 'latex'; source: string }
  | { kind: 'frame'; mime: string; html: string }
  | { kind: 'unsupported'; mimes: string[] };

/** Rich MIME types in the order JupyterLab prefers them; the first present wins. */
export const MIME_PREFERENCE = [
  'application/javascript',
  'text/html',
  'text/markdown',
  'text/latex',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'application/json',
  'text/plain',
] as const;

/** nbformat stores multi-line strings as a string or an array of lines. */
export function joinText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'string' ? part : '')).join('');
  return '';
}

const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

function imageView(mime: string, data: unknown, metadata: Record<string, unknown>): OutputView | null {
  const base64 = joinText(data).replace(/\s+/g, '');
  // Only base64 goes into the data: URL, so the attribute can hold nothing but the image.
  if (!BASE64.test(base64)) return null;
  const size = (metadata[mime] ?? {}) as { width?: unknown; height?: unknown };
  return {
    kind: 'image',
    mime,
    src: `data:${mime};base64,${base64}`,
    alt: 'Cell output image',
    ...(typeof size.width === 'number' ? { width: size.width } : {}),
    ...(typeof size.height === 'number' ? { height: size.height } : {}),
  };
}

/** Escapes text for HTML (what goes into the output frame as text). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function mimeBundleView(data: Record<string, unknown>, metadata: Record<string, unknown>): OutputView {
  for (const mime of MIME_PREFERENCE) {
    if (!(mime in data)) continue;
    const value = data[mime];
    switch (mime) {
      case 'application/javascript':
        // Classic notebook scripts expect an `element` to draw into.
        return {
          kind: 'frame',
          mime,
          html: `<div id="output"></div><script>var element = document.getElementById('output');\n${joinText(value).replace(/<\/script/gi, '<\\/script')}</script>`,
        };
      case 'text/html':
        return { kind: 'frame', mime, html: joinText(value) };
      case 'image/svg+xml':
        return { kind: 'frame', mime, html: joinText(value) };
      case 'text/markdown':
        return { kind: 'markdown', source: joinText(value) };
      case 'text/latex':
        return { kind: 'latex', source: joinText(value) };
      case 'image/png':
      case 'image/jpeg':
      case 'image/gif': {
        const view = imageView(mime, value, metadata);
        if (view) return view;
        continue;
      }
      case 'application/json':
        return { kind: 'json', value };
      case 'text/plain':
        return { kind: 'text', text: joinText(value) };
    }
  }
  return { kind: 'unsupported', mimes: Object.keys(data) };
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** One nbformat output → its view. */
export function outputView(output: unknown): OutputView {
  const record = asRecord(output);
  switch (record.output_type) {
    case 'stream':
      return {
        kind: 'stream',
        name: record.name === 'stderr' ? 'stderr' : 'stdout',
        text: joinText(record.text),
      };
    case 'error': {
      const traceback = Array.isArray(record.traceback) ? record.traceback.map(String).join('\n') : '';
      const ename = String(record.ename ?? 'Error');
      const evalue = String(record.evalue ?? '');
      return { kind: 'error', ename, evalue, traceback: traceback || `${ename}: ${evalue}` };
    }
    case 'execute_result':
    case 'display_data':
      return mimeBundleView(asRecord(record.data), asRecord(record.metadata));
    default:
      return { kind: 'unsupported', mimes: [] };
  }
}

/**
 * All outputs of a cell → views, with consecutive stream outputs of one name joined (kernels
 * send a print loop as many messages) and carriage returns applied (progress bars redraw a
 * line with `\r`).
 */
export function outputViews(outputs: readonly unknown[]): OutputView[] {
  const views: OutputView[] = [];
  for (const output of outputs) {
    const view = outputView(output);
    const last = views[views.length - 1];
    if (view.kind === 'stream' && last?.kind === 'stream' && last.name === view.name) {
      last.text += view.text;
    } else views.push(view);
  }
  for (const view of views) if (view.kind === 'stream') view.text = applyCarriageReturns(view.text);
  return views;
}

/** What a terminal shows for text with `\r`: each line keeps what was written after its last `\r`. */
export function applyCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const parts = line.split('\r');
      // A trailing `\r` (tqdm before its next update) keeps the line that is on screen.
      while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
      return parts[parts.length - 1] ?? '';
    })
    .join('\n');
}
