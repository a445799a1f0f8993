import { COLLAB_MAX_FRAME_BYTES, MAX_TEXT_DOCUMENT_BYTES, TEXT_SOURCE_NAME } from '@studios/protocol';
import type * as Y from 'yjs';
import { mergeDiskChange } from '../text/disk-merge';
import type { DocumentCodec } from './document-codec';

/** Any text file: the whole file is `Y.Text('source')`. */
export function createTextCodec(maxDocumentBytes = MAX_TEXT_DOCUMENT_BYTES): DocumentCodec {
  return {
    kind: 'text',
    maxDocumentBytes,
    maxFrameBytes: COLLAB_MAX_FRAME_BYTES,
    prepareSeed: (fileText) => (doc) => {
      if (fileText) doc.getText(TEXT_SOURCE_NAME).insert(0, fileText);
    },
    serialize: (doc) => doc.getText(TEXT_SOURCE_NAME).toString(),
    mergeFromDisk: (base, _live, diskText) => mergeDiskChange(base, diskText).delta,
    fits: (doc) => !doc.share.has('cells'),
  };
}

/** Whether a doc was stored as a text document (before its file type had a codec of its own). */
export function isTextShaped(doc: Y.Doc): boolean {
  const source = doc.share.get(TEXT_SOURCE_NAME);
  return source !== undefined && source._length > 0 && !doc.share.has('cells');
}
