import { spawn } from 'node:child_process';
import { removeIsolatedHomes, waitFor } from '@studios/testkit';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGateway } from '../testing/gateway-fixture';
import { exchange, freePort, startEchoServer } from '../testing/tcp';

describe('SshGateway port forwarding', () => {
  let fx: GatewayFixture;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;

  beforeEach(async () => {
    fx = await startGateway();
    echo = await startEchoServer('hello from the studio\n');
  });
  afterEach(async () => {
    await echo.close();
    await fx.dispose();
  });
  afterAll(() => removeIsolatedHomes());

  it('forwards ssh -L to a port on the Studio loopback, both ways', async () => {
    const localPort = await freePort();
    const ssh = spawn(
      'ssh',
      [
        ...fx.client.options(['-o', 'ExitOnForwardFailure=yes']),
        '-N',
        '-L',
        `${localPort}:127.0.0.1:${echo.port}`,
        '-p',
        String(fx.port),
        'ssh-test@127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    try {
      const reply = await waitFor(() => exchange(localPort, 'ping\n'), { what: 'the forwarded port' });
      expect(reply).toBe('hello from the studio\nping\n');
      await waitFor(() => fx.backend.record.open.forward === 0, { what: 'the forward channel to close' });
      expect(fx.backend.record.activity).toContain('forward');
    } finally {
      ssh.kill();
    }
  });

  it('forwards ssh -W (stdio) to localhost', async () => {
    const result = await fx.client.ssh(['-W', `localhost:${echo.port}`], 'via stdio\n');
    expect(result.stdout).toBe('hello from the studio\nvia stdio\n');
  });

  it('refuses forwarding to any address but the Studio loopback', async () => {
    for (const destination of [
      '169.254.169.254:80',
      '10.0.0.1:80',
      'example.com:80',
      `0.0.0.0:${echo.port}`,
    ]) {
      const result = await fx.client.ssh(['-W', destination]);
      expect(result.code, destination).toBe(255);
      expect(result.stderr, destination).toContain('stdio forwarding failed');
    }
  });

  it('gives ssh -L to 169.254.169.254 an open failure, reaching nothing', async () => {
    const localPort = await freePort();
    const ssh = spawn(
      'ssh',
      [
        ...fx.client.options(),
        '-N',
        '-L',
        `${localPort}:169.254.169.254:80`,
        '-p',
        String(fx.port),
        'ssh-test@127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    try {
      // OpenSSH accepts locally, asks the gateway, gets the open failure and drops the socket.
      const reply = await waitFor(
        () =>
          exchange(localPort, 'GET / HTTP/1.0\r\n\r\n').then(
            (text) => ({ text }),
            (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? { text: '' } : null),
          ),
        { what: 'the local listener' },
      );
      expect(reply.text).toBe('');
      expect(fx.backend.record.ports).toEqual([]);
      expect(fx.backend.record.open.forward).toBe(0);
    } finally {
      ssh.kill();
    }
  });

  it('gives a closed Studio port an open failure', async () => {
    const closed = await freePort();
    const result = await fx.client.ssh(['-W', `127.0.0.1:${closed}`]);
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('stdio forwarding failed');
  });

  it('refuses remote forwarding (ssh -R)', async () => {
    const result = await fx.client.ssh([
      '-o',
      'ExitOnForwardFailure=yes',
      '-R',
      `0:127.0.0.1:${echo.port}`,
      'echo should-not-run',
    ]);
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('remote port forwarding failed');
    expect(result.stdout).toBe('');
  });
});
