import { Duplex, Readable } from 'node:stream';
import type { MuxChannel } from './channel';

/** How a {@link channelReadable} reports its end and its waits. */
export interface ChannelReadableOptions {
  /** The error an early CLOSE destroys the stream with (default: a plain Error with the reason). */
  toError?: (reason: string) => Error;
  /**
   * `true` when the consumer asks for more and the stream waits on the peer, `false` once bytes,
   * END or CLOSE came: lets the caller give the peer a deadline only while the reader waits.
   */
  onWaiting?: (waiting: boolean) => void;
}

/**
 * The channel's inbound DATA as a Readable that paces the peer: bytes are acknowledged (and the
 * peer's window reopened) only as the consumer reads, so a slow HTTP client slows the file read
 * inside the Studio instead of filling the server's memory. Ends at the peer's END; an early
 * CLOSE destroys it with `toError(reason)`.
 */
export function channelReadable(channel: MuxChannel, options: ChannelReadableOptions = {}): Readable {
  const toError = options.toError ?? ((reason: string) => new Error(reason));
  const waiting = (value: boolean) => options.onWaiting?.(value && !channel.receivedEnd && !channel.isClosed);
  channel.useManualAck();
  let owed = 0;
  const readable = new Readable({
    read() {
      if (owed > 0) {
        channel.ack(owed);
        owed = 0;
      }
      waiting(true);
    },
    destroy(error, callback) {
      if (!channel.receivedEnd) channel.close(error ? error.message : 'reader went away');
      callback(error);
    },
  });
  channel.onData((bytes) => {
    waiting(false);
    if (readable.push(bytes)) channel.ack(bytes.byteLength);
    else owed += bytes.byteLength;
  });
  channel.onEnd(() => {
    waiting(false);
    readable.push(null);
  });
  channel.onClose((reason) => {
    waiting(false);
    if (!channel.receivedEnd) readable.destroy(toError(reason ?? 'the stream was closed'));
  });
  return readable;
}

/** A TCP-like two-way stream over a channel (ports inside the Studio). */
export function channelDuplex(channel: MuxChannel): Duplex {
  channel.useManualAck();
  let owed = 0;
  const duplex = new Duplex({
    read() {
      if (owed > 0) {
        channel.ack(owed);
        owed = 0;
      }
    },
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
  channel.onData((bytes) => {
    if (duplex.push(bytes)) channel.ack(bytes.byteLength);
    else owed += bytes.byteLength;
  });
  channel.onEnd(() => duplex.push(null));
  channel.onClose((reason) => {
    // A plain close after the peer's END leaves what was received to be read to its end.
    if (reason || !channel.receivedEnd) duplex.destroy(new Error(reason ?? 'the connection was closed'));
  });
  return duplex;
}
