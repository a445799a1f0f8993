import { connect } from 'node:net';
import { ErrorCode, StudiosError } from '@studios/protocol';
import type { MuxChannel } from '../mux/channel';
import { channelDuplex } from '../mux/channel-streams';

/**
 * Connects the channel to 127.0.0.1:`port` inside the Studio (dev servers, TensorBoard, Jupyter
 * listen there only). Only loopback is dialled, whatever the request: the server never names a
 * host. Replies `{ok: true}` once connected, then relays bytes both ways with backpressure.
 */
export async function connectPort(port: number, channel: MuxChannel): Promise<void> {
  // No Nagle: relayed protocols (Jupyter's ZeroMQ, dev-server websockets) send small messages
  // and wait for answers; batching them behind an unacknowledged segment only adds latency.
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StudiosError(
          ErrorCode.NotFound,
          error.code === 'ECONNREFUSED'
            ? `Nothing listens on port ${port} in the Studio`
            : `Port ${port}: ${error.code}`,
        ),
      ),
    );
  });
  await channel.sendMessage({ ok: true });
  const stream = channelDuplex(channel);
  // pipe() ends each side after the other's end (END frames follow the last DATA); the server
  // closes the channel once both are done. Errors end both at once.
  stream.pipe(socket).pipe(stream);
  const fail = () => {
    socket.destroy();
    stream.destroy();
  };
  socket.on('error', fail);
  stream.on('error', fail);
}
