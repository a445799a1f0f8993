/** Outputs longer than this are cut in the view, with "show all" (the document keeps everything). */
export const OUTPUT_LIMITS = { maxLines: 2_000, maxChars: 200_000 };

export interface TruncatedText {
  text: string;
  /** Whether anything was cut. */
  truncated: boolean;
  hiddenLines: number;
  hiddenChars: number;
}

/**
 * The head of `text` within both limits, cut at a line end when there is one (a huge single line
 * is cut mid-line). Rendering megabytes of text freezes the tab; the head is what people read.
 */
export function truncateText(text: string, limits = OUTPUT_LIMITS): TruncatedText {
  let end = text.length;
  let lines = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lines += 1;
    if (lines >= limits.maxLines) {
      end = index + 1;
      break;
    }
  }
  if (end > limits.maxChars) {
    const lineEnd = text.lastIndexOf('\n', limits.maxChars - 1);
    end = lineEnd > 0 ? lineEnd + 1 : limits.maxChars;
  }
  if (end >= text.length) return { text, truncated: false, hiddenLines: 0, hiddenChars: 0 };
  const rest = text.slice(end);
  const restLines = rest.split('\n').length - (rest.endsWith('\n') ? 1 : 0);
  return { text: text.slice(0, end), truncated: true, hiddenLines: restLines, hiddenChars: rest.length };
}
