import { myersDiff } from './myers-diff';

/** Replace `deleteLength` UTF-16 units at `offset` (in the old text) with `insert`. */
export interface TextEdit {
  offset: number;
  deleteLength: number;
  insert: string;
}

/** Above this many changed lines the change is applied as one replacement of the changed region. */
const MAX_LINE_EDITS = 4000;
/** Character-level refinement only for hunks this small (code points on both sides). */
const MAX_REFINED_HUNK = 4000;
const MAX_CHAR_EDITS = 1000;

/**
 * A small, bounded diff from `before` to `after`: common prefix and suffix first, then a line
 * diff, then a character diff inside each changed line run. Edits are ascending,
 * non-overlapping, in `before` coordinates, and never split a surrogate pair (Y.Text would
 * replace half a pair with U+FFFD).
 */
export function diffText(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let prefix = commonPrefixLength(before, after);
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = commonSuffixLength(before, after, prefix);
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  const oldMiddle = before.slice(prefix, before.length - suffix);
  const newMiddle = after.slice(prefix, after.length - suffix);
  return diffLines(oldMiddle, newMiddle).map((edit) => ({ ...edit, offset: edit.offset + prefix }));
}

/** Applies edits produced by {@link diffText} to a plain string (tests and sanity checks). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (let i = edits.length - 1; i >= 0; i--) {
    const edit = edits[i] as TextEdit;
    result = result.slice(0, edit.offset) + edit.insert + result.slice(edit.offset + edit.deleteLength);
  }
  return result;
}

function diffLines(before: string, after: string): TextEdit[] {
  if (before.length === 0 || after.length === 0) {
    return [{ offset: 0, deleteLength: before.length, insert: after }];
  }
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const hunks = myersDiff(oldLines.map(intern), newLines.map(intern), MAX_LINE_EDITS);
  if (!hunks) return [{ offset: 0, deleteLength: before.length, insert: after }];
  const oldOffsets = lineOffsets(oldLines);
  const newOffsets = lineOffsets(newLines);
  const edits: TextEdit[] = [];
  for (const hunk of hunks) {
    const oldStart = oldOffsets[hunk.aStart] ?? 0;
    const oldText = before.slice(oldStart, oldOffsets[hunk.aEnd]);
    const newText = after.slice(newOffsets[hunk.bStart], newOffsets[hunk.bEnd]);
    for (const edit of diffCharacters(oldText, newText)) {
      edits.push({ ...edit, offset: edit.offset + oldStart });
    }
  }
  return edits;
}

function diffCharacters(before: string, after: string): TextEdit[] {
  const coarse = [{ offset: 0, deleteLength: before.length, insert: after }];
  if (before.length === 0 || after.length === 0) return coarse;
  const oldPoints = Array.from(before);
  const newPoints = Array.from(after);
  if (oldPoints.length + newPoints.length > MAX_REFINED_HUNK) return coarse;
  const hunks = myersDiff(
    oldPoints.map((c) => c.codePointAt(0) ?? 0),
    newPoints.map((c) => c.codePointAt(0) ?? 0),
    MAX_CHAR_EDITS,
  );
  if (!hunks) return coarse;
  const oldOffsets = pointOffsets(oldPoints);
  return hunks.map((hunk) => {
    const offset = oldOffsets[hunk.aStart] ?? 0;
    return {
      offset,
      deleteLength: (oldOffsets[hunk.aEnd] ?? 0) - offset,
      insert: newPoints.slice(hunk.bStart, hunk.bEnd).join(''),
    };
  });
}

/** Lines including their terminator, so joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

function lineOffsets(lines: readonly string[]): number[] {
  const offsets = [0];
  let total = 0;
  for (const line of lines) {
    total += line.length;
    offsets.push(total);
  }
  return offsets;
}

function pointOffsets(points: readonly string[]): number[] {
  return lineOffsets(points);
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffixLength(a: string, b: string, prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
