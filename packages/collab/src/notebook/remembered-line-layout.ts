import type * as nbformat from '@jupyterlab/nbformat';
import { splitLinesKeepEnds } from './nbformat-json';
import { isRecord } from './notebook-schema';

/**
 * nbformat splits sources and stream text at line ends, but other writers (older nteract,
 * hand-made files) split elsewhere. Sources whose file layout differs from nbformat's are
 * remembered by their text, so an unchanged cell is written back as the file had it; edited
 * text has no remembered layout and is split the nbformat way. Only irregular layouts are kept.
 */
export class RememberedLineLayout {
  readonly #irregular = new Map<string, string[]>();

  readonly split = (text: string): string[] => this.#irregular.get(text) ?? splitLinesKeepEnds(text);

  remember(notebook: nbformat.INotebookContent): void {
    for (const cell of notebook.cells) {
      this.#note(cell.source);
      const outputs = (cell as { outputs?: unknown }).outputs;
      if (!Array.isArray(outputs)) continue;
      for (const output of outputs)
        if (isRecord(output) && output.output_type === 'stream') this.#note(output.text);
    }
  }

  #note(lines: unknown): void {
    if (!Array.isArray(lines) || !lines.every((line) => typeof line === 'string')) return;
    const text = lines.join('');
    const standard = splitLinesKeepEnds(text);
    if (standard.length !== lines.length || standard.some((line, i) => line !== lines[i])) {
      this.#irregular.set(text, lines);
    }
  }
}
