/**
 * Live documents are served with the y-websocket protocol at
 * `/api/studios/:studioId/collab/:doc`, where `:doc` is `encodeURIComponent(path)` of a file
 * relative to the workspace root. A text file's content is the `Y.Text` named `source`
 * (jupyter_ydoc's convention), so notebooks and text files share one naming scheme.
 *
 * The server seeds a document from its file once (clients never seed), writes it back at most
 * a second behind, and merges changes made on disk (terminal, git) three-way into the live doc.
 * A missing file opens as an empty document and is created by the first edit. Binary files and
 * files above MAX_TEXT_DOCUMENT_BYTES close with `CloseCode.UnsupportedDocument` and a reason.
 */
export const TEXT_SOURCE_NAME = 'source';

/** Largest WebSocket frame any collab client may send (a paste of a 5 MB file fits). */
export const COLLAB_MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** Awareness `user` field every client publishes, so names and colours show on cursors. */
export interface CollabAwarenessUser {
  id: string;
  name: string;
  color: string;
  /** Path of the file this user has focused, for presence ("Ada is in src/app.ts"). */
  file?: string;
}

export function collabRoomForPath(path: string): string {
  return encodeURIComponent(path);
}
