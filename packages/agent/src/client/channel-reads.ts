import { Transform } from 'node:stream';
import { AGENT_INITIAL_WINDOW } from '@studios/protocol';
import type { MuxChannel } from '../mux/channel';
import { agentGone } from './agent-gone';

/**
 * Collects a channel's DATA up to its END, refusing more than `maxBytes` (the agent is
 * untrusted: a reply that does not fit is an error, never an allocation). Closes the channel.
 * `admit` sees each piece first (a deadline between pieces, a budget shared with other replies)
 * and may refuse it with a reason.
 */
export function collectBytes(
  channel: MuxChannel,
  maxBytes: number,
  admit?: (bytes: number) => string | undefined,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Uint8Array[] = [];
    let size = 0;
    const fail = (reason: string) => {
      // Let go of what came: the error's stack keeps this closure (and so `chunks`) alive for
      // as long as anyone holds the error.
      chunks = [];
      reject(agentGone(reason));
    };
    channel.onData((bytes) => {
      const refused =
        admit?.(bytes.byteLength) ??
        (size + bytes.byteLength > maxBytes ? `a reply larger than ${maxBytes} bytes` : undefined);
      if (refused) {
        channel.close(refused);
        fail(refused);
        return;
      }
      size += bytes.byteLength;
      chunks.push(bytes);
    });
    channel.onEnd(() => {
      resolve(Buffer.concat(chunks));
      channel.close();
    });
    channel.onClose((reason) => {
      if (!channel.receivedEnd) fail(reason ?? 'the reply was cut off');
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

/** A body in pieces of at most one window, so a deadline per piece measures the agent alone. */
export async function* windowSized(body: Uint8Array | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!(body instanceof Uint8Array)) {
    yield* body;
    return;
  }
  for (let offset = 0; offset < body.byteLength || offset === 0; offset += AGENT_INITIAL_WINDOW) {
    yield body.subarray(offset, offset + AGENT_INITIAL_WINDOW);
  }
}
