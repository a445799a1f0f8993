import { type Disposable, DisposableStore, toDisposable } from '@studios/base';
import type { ExecSession } from '@studios/runtime';
import type { ServerChannel } from 'ssh2';

export interface ExecBridgeOptions {
  /** A TTY session ignores the client's EOF, as sshd does (see below). */
  tty: boolean;
  /** Called on every chunk either way; the caller throttles. */
  onTraffic: () => void;
}

/**
 * Joins a running process to its SSH channel until the process exits: output to the channel
 * (stderr to the channel's stderr), channel data to stdin, EOF to `end()`, and then exit-status.
 * The process's output never ends the channel by itself (no `pipe()`): the channel must stay
 * open until exit-status is sent, or OpenSSH reports 255 instead of the real code.
 */
export function bridgeExec(
  channel: ServerChannel,
  exec: ExecSession,
  options: ExecBridgeOptions,
): Disposable {
  const store = new DisposableStore();
  // Backpressure: ssh2 buffers up to the peer's window plus its highWaterMark; past that the
  // process is paused and its pipe fills, so a client that stops reading slows only its process.
  const deliver = (target: NodeJS.WritableStream) => (chunk: Buffer) => {
    options.onTraffic();
    if (!target.write(chunk)) exec.pause();
  };
  store.add(exec.onData(deliver(channel)));
  store.add(exec.onStderr(deliver(channel.stderr)));
  const resume = () => exec.resume();
  channel.on('drain', resume);
  channel.stderr.on('drain', resume);
  const input = (chunk: Buffer) => {
    options.onTraffic();
    exec.write(chunk);
  };
  channel.on('data', input);
  // sshd never forwards EOF into a pseudo-terminal (its input and output are one descriptor);
  // writing ^D instead would end a shell whose client merely ran `ssh -tt host < /dev/null`.
  const eof = () => {
    if (!options.tty) exec.end();
  };
  channel.on('end', eof);
  store.add(
    toDisposable(() => {
      channel.off('drain', resume);
      channel.stderr.off('drain', resume);
      channel.off('data', input);
      channel.off('end', eof);
    }),
  );
  void exec.exit.then((code) => {
    if (store.isDisposed) return;
    store.dispose();
    finishChannel(channel, code);
    // The process is gone; this frees what the session still holds (listeners, the PTY).
    exec.dispose();
  });
  return store;
}

/**
 * Sends exit-status and closes the channel once buffered output has gone out. The runtime
 * reports a process killed by signal n as 128+n (bash's convention) without the signal's name,
 * so clients see that number as exit-status rather than an exit-signal message; `-1` (unknown)
 * becomes 255, which is what OpenSSH itself reports when it cannot tell.
 */
export function finishChannel(channel: ServerChannel, code: number): void {
  const status = code < 0 || code > 255 ? 255 : code;
  try {
    channel.exit(status);
    // Stderr is a separate stream: end it first so its last bytes are not cut off by the close.
    channel.stderr.end(() => channel.end());
  } catch {
    channel.close();
  }
}
