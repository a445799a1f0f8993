import { connect } from 'node:net';
import { FakeClock, removeIsolatedHomes, waitFor } from '@studios/testkit';
import type ssh2 from 'ssh2';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readPrivateKey } from '../testing/forged-login';
import { type GatewayFixture, startGateway } from '../testing/gateway-fixture';
import { connectClient } from '../testing/ssh2-session';
import { GATEWAY_LIMITS } from './limits';

describe('SshGateway with slow or silent clients', () => {
  let fx: GatewayFixture | undefined;
  let client: ssh2.Client | undefined;

  afterEach(async () => {
    client?.end();
    client = undefined;
    await fx?.dispose();
    fx = undefined;
  });
  afterAll(() => removeIsolatedHomes());

  it('pauses the process of a client that stops reading; others are served meanwhile', async () => {
    const gateway = await startGateway();
    fx = gateway;
    client = await connectClient(gateway.port, 'ssh-test', readPrivateKey(gateway.key.path));
    const active = client;
    const channel = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
      active.exec('yes', (error, stream) => (error ? reject(error) : resolve(stream))),
    );
    // Never read: the SSH window fills, ssh2 buffers up to its mark, then the process pauses.
    channel.pause();
    await waitFor(() => gateway.backend.record.pauses > 0, { what: 'the process to be paused' });
    const other = await gateway.client.ssh(['echo served']);
    expect(other).toMatchObject({ code: 0, stdout: 'served\n' });
    active.end();
    await waitFor(() => gateway.backend.driver.stats().processes === 0, { what: 'yes to be killed' });
  });

  it('cuts off a client that does not finish logging in within the grace time', async () => {
    const clock = new FakeClock();
    const gateway = await startGateway({ clock });
    fx = gateway;
    const sockets = [false, true].map((identify) => {
      const socket = connect({ host: '127.0.0.1', port: gateway.port });
      socket.on('error', () => {});
      socket.resume();
      if (identify) socket.write('SSH-2.0-OpenSSH_9.2\r\n');
      return socket;
    });
    const closed = sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    await waitFor(() => gateway.backend.record.attempts.length === 2, { what: 'both connections' });
    // The identified one has a connection (and its own timer) once ssh2 has read its line.
    await waitFor(() => clock.pendingTimers >= 3, { what: 'the login timers' });
    expect(sockets.every((socket) => !socket.destroyed)).toBe(true);
    clock.advance(GATEWAY_LIMITS.loginGraceMs + GATEWAY_LIMITS.closeGraceMs);
    await Promise.all(closed);
  });
});
