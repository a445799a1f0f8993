import { isNotebookPath } from '../notebook/notebook-codec';
import type { DocumentCodec } from './document-codec';

/** The codecs a service serves files with, by kind. */
export interface DocumentCodecs {
  text: DocumentCodec;
  notebook: DocumentCodec;
}

/** The codec a file is served with, by its name (a rename across kinds reloads the room). */
export function codecForPath(codecs: DocumentCodecs, path: string): DocumentCodec {
  return isNotebookPath(path) ? codecs.notebook : codecs.text;
}
