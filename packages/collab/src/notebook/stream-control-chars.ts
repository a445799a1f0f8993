/**
 * Carriage returns and backspaces in stream output, applied the way JupyterLab shows them
 * (`removeOverwrittenChars`): `\r` returns to the line's start and what follows overwrites it,
 * `\b` removes the character before it. A progress bar that redraws itself ten thousand times
 * then stores one line, not ten thousand. A `\r` ending the text is kept: the next chunk
 * overwrites from there.
 */
export function applyStreamControlChars(text: string): string {
  return text
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => collapseLine(line))
    .join('\n');
}

/** Whether a chunk of stream text needs {@link applyStreamControlChars}. */
export function hasControlChars(chunk: string): boolean {
  return chunk.includes('\r') || chunk.includes('\b');
}

function collapseLine(line: string): string {
  if (!line.includes('\r') && !line.includes('\b')) return line;
  const characters = [...line];
  const shown: string[] = [];
  let cursor = 0;
  let endsWithReturn = false;
  characters.forEach((character, index) => {
    if (character === '\r') {
      cursor = 0;
      endsWithReturn = index === characters.length - 1;
    } else if (character === '\b') {
      if (cursor > 0) {
        shown.splice(cursor - 1, 1);
        cursor -= 1;
      }
    } else {
      shown[cursor] = character;
      cursor += 1;
    }
  });
  return shown.join('') + (endsWithReturn ? '\r' : '');
}
