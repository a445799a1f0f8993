import { Duplex, Readable } from 'node:stream';
import type { MuxChannel } from './channel';

/**
 * Feeds the channel's inbound DATA into `stream`'s readable side, pacing the peer: bytes are
 * acknowledged (and the peer's window reopened) only as the consumer reads, so a slow HTTP
 * client slows the file read inside the Studio instead of filling the server's memory. Returns
 * the `read()` implementation that acknowledges what was held back.
 */
function paceInbound(channel: MuxChannel, stream: Readable): () => void {
  channel.useManualAck();
  let owed = 0;
  channel.onData((bytes) => {
    if (stream.push(bytes)) channel.ack(bytes.byteLength);
    else owed += bytes.byteLength;
  });
  channel.onEnd(() => stream.push(null));
  return () => {
    if (owed > 0) {
      channel.ack(owed);
      owed = 0;
    }
  };
}

/**
 * The channel's inbound DATA as a Readable paced by its reader. Ends at the peer's END; an
 * early CLOSE destroys it with the reason.
 */
export function channelReadable(channel: MuxChannel): Readable {
  let release = () => {};
  const readable = new Readable({
    read: () => release(),
    destroy(error, callback) {
      if (!channel.receivedEnd) channel.close(error ? error.message : 'reader went away');
      callback(error);
    },
  });
  release = paceInbound(channel, readable);
  channel.onClose((reason) => {
    if (!channel.receivedEnd) readable.destroy(new Error(reason ?? 'the agent closed the stream'));
  });
  return readable;
}

/** Sends every chunk of `source` as DATA, then END; stops at the first failure. */
export async function writeAllToChannel(
  channel: MuxChannel,
  source: Uint8Array | AsyncIterable<Uint8Array>,
): Promise<void> {
  if (source instanceof Uint8Array) await channel.write(source);
  else for await (const chunk of source) await channel.write(chunk);
  await channel.end();
}

/** A TCP-like two-way stream over a channel (ports inside the Studio). */
export function channelDuplex(channel: MuxChannel): Duplex {
  let release = () => {};
  const duplex = new Duplex({
    read: () => release(),
    write(chunk: Buffer, _encoding, callback) {
      channel.write(chunk).then(() => callback(), callback);
    },
    final(callback) {
      channel.end().then(() => callback(), callback);
    },
    destroy(error, callback) {
      channel.close(error?.message);
      callback(error);
    },
  });
  release = paceInbound(channel, duplex);
  channel.onClose((reason) => {
    // A plain close after the peer's END leaves what was received to be read to its end.
    if (reason || !channel.receivedEnd) duplex.destroy(new Error(reason ?? 'the connection was closed'));
  });
  return duplex;
}
