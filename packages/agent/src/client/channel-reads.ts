import { Transform } from 'node:stream';
import type { MuxChannel } from '../mux/channel';
import { agentGone } from './agent-gone';

/**
 * Collects a channel's DATA up to its END, refusing more than `maxBytes` (the agent is
 * untrusted: a reply that does not fit is an error, never an allocation). Closes the channel.
 * `onProgress` runs on each piece (a deadline between pieces).
 */
export function collectBytes(
  channel: MuxChannel,
  maxBytes: number,
  onProgress?: () => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    channel.onData((bytes) => {
      onProgress?.();
      size += bytes.byteLength;
      if (size > maxBytes) {
        channel.close('reply too large');
        reject(agentGone(`a reply larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(bytes);
    });
    channel.onEnd(() => {
      resolve(Buffer.concat(chunks));
      channel.close();
    });
    channel.onClose((reason) => {
      if (!channel.receivedEnd) reject(agentGone(reason ?? 'the reply was cut off'));
    });
  });
}

/** Passes at most `maxBytes` through and fails the stream beyond that (an agent sending more than it announced). */
export function capBytes(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.byteLength;
      if (seen > maxBytes) callback(agentGone('the file was longer than announced'));
      else callback(null, chunk);
    },
  });
}
