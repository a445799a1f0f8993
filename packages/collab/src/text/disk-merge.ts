import { TEXT_SOURCE_NAME } from '@studios/protocol';
import * as Y from 'yjs';
import { diffText } from './text-diff';

/** The result of rebasing a change made on disk onto the CRDT state it started from. */
export interface DiskMerge {
  /** Apply this to the live doc: the disk change as Yjs operations, nothing else. */
  delta: Uint8Array;
  /** The doc state whose text equals the disk text: the base for the next external change. */
  newBase: Uint8Array;
}

/**
 * Three-way merge of an external file change. `base` is the doc state that was last in sync
 * with the file; the change base→disk is replayed as a minimal diff on a copy of that state,
 * and only those new operations are returned. Applied to the live doc they merge with any
 * typing that has not reached the disk yet, instead of overwriting it ("disk wins" loses work).
 */
export function mergeDiskChange(base: Uint8Array, diskText: string): DiskMerge {
  const scratch = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(scratch, base);
    const baseVector = Y.encodeStateVector(scratch);
    scratch.transact(() => rewriteText(scratch.getText(TEXT_SOURCE_NAME), diskText));
    return { delta: Y.encodeStateAsUpdate(scratch, baseVector), newBase: Y.encodeStateAsUpdate(scratch) };
  } finally {
    scratch.destroy();
  }
}

/**
 * Turns a Y.Text into `target` with a minimal diff (call inside a transaction), so edits made
 * concurrently elsewhere in the text survive when the resulting update is merged.
 */
export function rewriteText(text: Y.Text, target: string): void {
  const edits = diffText(text.toString(), target);
  // Back to front, so earlier offsets stay valid.
  for (let i = edits.length - 1; i >= 0; i--) {
    const edit = edits[i];
    if (!edit) continue;
    if (edit.deleteLength > 0) text.delete(edit.offset, edit.deleteLength);
    if (edit.insert.length > 0) text.insert(edit.offset, edit.insert);
  }
}

/** The text of a doc state (an encoded update). */
export function textOfState(state: Uint8Array): string {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, state);
    return scratch.getText(TEXT_SOURCE_NAME).toString();
  } finally {
    scratch.destroy();
  }
}
