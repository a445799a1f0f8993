import type { Duplex } from 'node:stream';
import type { Logger } from '@studios/base';
import type { AcceptConnection, RejectConnection, ServerChannel, TcpipRequestInfo } from 'ssh2';
import type { SshStudioSession } from '../gateway-backend';

/** `ssh -L` may only reach the Studio's own loopback: never the metadata service or a neighbour. */
const LOOPBACK_DESTINATIONS = new Set(['127.0.0.1', 'localhost', '::1']);

export interface PortForwardContext {
  studio: SshStudioSession;
  log: Logger;
  onTraffic: () => void;
  /** Called with the open channel; returns what to release when it closes. */
  track: (channel: ServerChannel, kind: 'forward') => () => void;
}

/** True when a `direct-tcpip` request names a port on the Studio's own loopback. */
export function isAllowedForward(info: TcpipRequestInfo): boolean {
  return (
    LOOPBACK_DESTINATIONS.has(info.destIP) &&
    Number.isInteger(info.destPort) &&
    info.destPort > 0 &&
    info.destPort < 65_536
  );
}

/**
 * Opens a `direct-tcpip` channel: the upstream connection is made before the channel is
 * accepted, so a closed port gives the client an open failure (`connect failed`) rather than a
 * channel that closes at once.
 */
export async function openForward(
  accept: AcceptConnection<ServerChannel>,
  reject: RejectConnection,
  info: TcpipRequestInfo,
  context: PortForwardContext,
): Promise<void> {
  let upstream: Duplex;
  try {
    await context.studio.ready(() => {});
    upstream = await context.studio.connectPort(info.destPort);
  } catch (error) {
    context.log.debug('ssh forward failed', { port: info.destPort, error: String(error) });
    reject();
    return;
  }
  const channel = accept();
  if (!channel) {
    upstream.destroy();
    return;
  }
  const release = context.track(channel, 'forward');
  const traffic = () => context.onTraffic();
  channel.on('data', traffic);
  upstream.on('data', traffic);
  // pipe() carries backpressure both ways and each side's EOF to the other (half-close).
  channel.pipe(upstream);
  upstream.pipe(channel);
  const closeBoth = () => {
    upstream.destroy();
    channel.close();
    release();
  };
  upstream.on('error', (error) => {
    context.log.debug('ssh forward upstream error', { port: info.destPort, error: error.message });
    closeBoth();
  });
  upstream.on('close', () => {
    // After a clean end, pipe() has already ended the channel; close it once the peer is done.
    if (channel.writableEnded) return;
    closeBoth();
  });
  channel.on('error', closeBoth);
  channel.on('close', closeBoth);
}
