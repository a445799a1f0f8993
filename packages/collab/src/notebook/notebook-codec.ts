import type * as nbformat from '@jupyterlab/nbformat';
import { COLLAB_MAX_FRAME_BYTES, MAX_NOTEBOOK_DOCUMENT_BYTES } from '@studios/protocol';
import type * as Y from 'yjs';
import { type DocumentCodec, UnsupportedContentError } from '../document/document-codec';
import { stringifyLikeNbformat } from './nbformat-json';
import { mergeNotebookChange } from './notebook-disk-merge';
import { InvalidNotebookError, parseNotebook } from './notebook-parse';
import { CELLS, metaOf, readNotebook, writeNotebook } from './notebook-schema';
import { findForbiddenNotebookChange } from './notebook-update-guard';
import { RememberedLineLayout } from './remembered-line-layout';

/** First nbformat minor whose cells carry ids. */
const MINOR_WITH_CELL_IDS = 5;

/**
 * `.ipynb` files as `YNotebook` docs (one codec per room: it remembers the file's line layout). An empty (or new) file is an empty notebook, written as
 * nbformat 4.5 once someone edits it.
 */
export function createNotebookCodec(maxDocumentBytes = MAX_NOTEBOOK_DOCUMENT_BYTES): DocumentCodec {
  const layout = new RememberedLineLayout();
  return {
    kind: 'notebook',
    maxDocumentBytes,
    // A client that reconnects after working offline sends back everything the server lacks.
    maxFrameBytes: notebookMaxFrameBytes(maxDocumentBytes),
    refuseClientUpdate: findForbiddenNotebookChange,
    prepareSeed(fileText) {
      if (fileText.trim() === '') return () => {};
      const notebook = parseOrUnsupported(fileText);
      layout.remember(notebook);
      return (doc) => writeNotebook(doc, notebook);
    },
    serialize: (doc) => stringifyLikeNbformat(readNotebook(doc, layout.split)),
    mergeFromDisk(base, live, diskText) {
      // A deleted (or emptied) file merges as an empty notebook, as a deleted text file merges as ''.
      const notebook = diskText.trim() === '' ? emptyNotebook() : parseOrUnsupported(diskText);
      layout.remember(notebook);
      return mergeNotebookChange(base, live, notebook);
    },
    fits: (doc) => doc.share.has(CELLS) || !doc.share.has('source'),
    beforeEditedSave(doc: Y.Doc) {
      const meta = metaOf(doc);
      if (meta.get('nbformat') === undefined) meta.set('nbformat', 4);
      const minor = meta.get('nbformat_minor');
      if (typeof minor !== 'number' || minor < MINOR_WITH_CELL_IDS)
        meta.set('nbformat_minor', MINOR_WITH_CELL_IDS);
    },
  };
}

function emptyNotebook(): nbformat.INotebookContent {
  return { cells: [], metadata: {}, nbformat: 4, nbformat_minor: MINOR_WITH_CELL_IDS };
}

function parseOrUnsupported(text: string) {
  try {
    return parseNotebook(text);
  } catch (error) {
    if (error instanceof InvalidNotebookError)
      throw new UnsupportedContentError(`invalid notebook: ${error.message}`);
    throw error;
  }
}

/** Whether a path is served as a notebook. */
export function isNotebookPath(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
}

/**
 * Largest collab frame a client may send to a notebook: a whole notebook plus the text limit.
 * The server's WebSocket `maxPayload` for collab sockets must allow it; text rooms still close
 * frames above COLLAB_MAX_FRAME_BYTES.
 */
export function notebookMaxFrameBytes(maxNotebookBytes = MAX_NOTEBOOK_DOCUMENT_BYTES): number {
  return maxNotebookBytes + COLLAB_MAX_FRAME_BYTES;
}
