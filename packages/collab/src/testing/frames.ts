import { TEXT_SOURCE_NAME } from '@studios/protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** Hand-encoded y-websocket frames, built with y-protocols as a hostile client would. */
export function syncFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** An update inserting `text` from a fresh client. */
export function insertUpdate(text: string, at = 0): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(TEXT_SOURCE_NAME).insert(at, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

export const updateFrame = (update: Uint8Array) => syncFrame((e) => syncProtocol.writeUpdate(e, update));
export const syncStep2Frame = (update: Uint8Array) =>
  syncFrame((e) => {
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });
export const syncStep1Frame = () =>
  syncFrame((e) => {
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  });

/** The text in a server SyncStep2 frame (answer to {@link syncStep1Frame}), or null for other frames. */
export function textOfSyncStep2(frame: Uint8Array): string | null {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== 0) return null;
  if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep2) return null;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
  const text = doc.getText(TEXT_SOURCE_NAME).toString();
  doc.destroy();
  return text;
}
