import type * as nbformat from '@jupyterlab/nbformat';
import { isRecord } from './notebook-schema';

/** The file is not an nbformat 4 notebook; the message says why, for the person who opened it. */
export class InvalidNotebookError extends Error {
  override readonly name = 'InvalidNotebookError';
}

/**
 * Parses a notebook file. Only the shape the server relies on is checked (nbformat 4, a cells
 * list of objects with a known `cell_type`); the rest is kept as the file has it.
 */
export function parseNotebook(text: string): nbformat.INotebookContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidNotebookError(
      `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isRecord(parsed)) throw new InvalidNotebookError('not a JSON object');
  if (parsed.nbformat !== 4)
    throw new InvalidNotebookError(`nbformat ${String(parsed.nbformat)} is not supported (4 is)`);
  if (typeof parsed.nbformat_minor !== 'number') throw new InvalidNotebookError('nbformat_minor is missing');
  if (!Array.isArray(parsed.cells)) throw new InvalidNotebookError('cells is missing');
  for (const cell of parsed.cells) {
    if (!isRecord(cell) || !['code', 'markdown', 'raw'].includes(String(cell.cell_type))) {
      throw new InvalidNotebookError('a cell has no known cell_type');
    }
  }
  if (parsed.metadata !== undefined && !isRecord(parsed.metadata))
    throw new InvalidNotebookError('metadata is not an object');
  return parsed as unknown as nbformat.INotebookContent;
}
