import * as Y from 'yjs';
import { applyPatch, type EditingTrace } from './b4-trace';

/**
 * Replays a whole trace into a fresh Y.Doc, one transaction per patch (as typing would), and
 * returns the doc's state as one update: the "doc holding the full B4 history" of S3.
 */
export function buildFullHistoryUpdate(trace: EditingTrace): Uint8Array {
  const doc = new Y.Doc();
  const text = doc.getText('source');
  if (trace.startContent.length > 0) text.insert(0, trace.startContent);
  for (const patch of trace.patches) doc.transact(() => applyPatch(text, patch));
  if (text.length !== trace.endContent.length) {
    throw new Error(`trace replay produced ${text.length} chars, expected ${trace.endContent.length}`);
  }
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
