import { connect } from 'node:net';
import { removeIsolatedHomes, waitFor } from '@studios/testkit';
import type ssh2 from 'ssh2';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPrivateKey } from '../testing/forged-login';
import { type GatewayFixture, startGateway } from '../testing/gateway-fixture';
import { connectClient, openShell } from '../testing/ssh2-session';

describe('SshGateway protocol edges', () => {
  let fx: GatewayFixture;
  let client: ssh2.Client | undefined;

  beforeEach(async () => {
    fx = await startGateway();
  });
  afterEach(async () => {
    client?.end();
    client = undefined;
    await fx.dispose();
  });
  afterAll(() => removeIsolatedHomes());

  it('applies window-change to the running PTY', async () => {
    client = await connectClient(fx.port, 'ssh-test', readPrivateKey(fx.key.path));
    const shell = await openShell(client, { rows: 30, cols: 100 });
    shell.channel.write('echo "before=$(stty size)"\r');
    await waitFor(() => shell.output().includes('before=30 100'), { what: 'the initial size' });
    shell.channel.setWindow(40, 120, 0, 0);
    await waitFor(() => fx.backend.record.resizes.length === 1, { what: 'the resize' });
    expect(fx.backend.record.resizes).toEqual([{ cols: 120, rows: 40 }]);
    shell.channel.write('echo "after=$(stty size)"\r');
    await waitFor(() => shell.output().includes('after=40 120'), { what: 'the new size' });
    expect(fx.backend.record.open.shell).toBe(1);
    shell.channel.write('exit 9\r');
    const code = await new Promise((resolve) => shell.channel.on('exit', resolve));
    expect(code).toBe(9);
    await waitFor(() => fx.backend.record.open.shell === 0, { what: 'the shell channel to close' });
  });

  it('refuses unix-socket forwarding both ways and X11', async () => {
    client = await connectClient(fx.port, 'ssh-test', readPrivateKey(fx.key.path));
    const active = client;
    const streamlocal = await new Promise<Error | undefined>((resolve) =>
      active.openssh_forwardOutStreamLocal('/var/run/docker.sock', (error) => resolve(error)),
    );
    expect(streamlocal?.message).toMatch(/open failure/i);
    const unixForward = await new Promise<Error | undefined>((resolve) =>
      active.openssh_forwardInStreamLocal('/tmp/studios-ssh-test.sock', (error) =>
        resolve(error ?? undefined),
      ),
    );
    expect(unixForward).toBeInstanceOf(Error);
    const x11 = await new Promise<Error | undefined>((resolve) =>
      active.exec('true', { x11: true }, (error) => resolve(error)),
    );
    expect(x11?.message).toMatch(/x11/i);
  });

  it('survives garbage and clients that vanish mid-handshake', async () => {
    const garbage = async (payload: Buffer | string) => {
      const socket = connect({ host: '127.0.0.1', port: fx.port });
      socket.on('error', () => {});
      socket.resume();
      await new Promise((resolve) => socket.once('connect', resolve));
      // Half-closing after the garbage: the gateway must notice and let go of the socket.
      socket.end(payload);
      await new Promise((resolve) => socket.once('close', resolve));
    };
    await garbage('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await garbage(Buffer.concat([Buffer.from('SSH-2.0-evil\r\n'), Buffer.alloc(70_000, 0xff)]));
    // Identification, then gone before the key exchange ends.
    const vanishing = connect({ host: '127.0.0.1', port: fx.port });
    vanishing.on('error', () => {});
    vanishing.on('data', () => vanishing.destroy());
    vanishing.write('SSH-2.0-OpenSSH_9.2\r\n');
    await new Promise((resolve) => vanishing.once('close', resolve));
    // The gateway still serves a real login.
    const result = await fx.client.ssh(['echo still-here']);
    expect(result).toMatchObject({ code: 0, stdout: 'still-here\n' });
  });

  it('caps channels per connection', async () => {
    client = await connectClient(fx.port, 'ssh-test', readPrivateKey(fx.key.path));
    const active = client;
    const outcomes = await Promise.all(
      Array.from(
        { length: 70 },
        () => new Promise<boolean>((resolve) => active.exec('sleep 30', (error) => resolve(!error))),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(64);
    await waitFor(() => fx.backend.record.open.exec === 64, { what: '64 running commands' });
    active.end();
    await waitFor(() => fx.backend.driver.stats().processes === 0, { what: 'every command to end' });
  });
});
