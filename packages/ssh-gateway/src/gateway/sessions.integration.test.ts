import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeIsolatedHomes, waitFor } from '@studios/testkit';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGateway } from '../testing/gateway-fixture';

describe('SshGateway sessions with the OpenSSH client', () => {
  let fx: GatewayFixture;

  beforeEach(async () => {
    fx = await startGateway();
  });
  afterEach(async () => {
    await fx.dispose();
  });
  afterAll(() => removeIsolatedHomes());

  it('runs a command with its exit code, separate stdout and stderr, and stdin', async () => {
    const result = await fx.client.ssh(
      ['read line; echo "got:$line"; echo oops >&2; pwd; exit 3'],
      'hello\n',
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(`got:hello\n${fx.workspace}\n`);
    expect(result.stderr).toContain('oops');
    expect(result.stderr).not.toContain('got:');
    // The first command woke the Studio: the notice went to stderr, not into the output.
    expect(result.stderr).toContain("Starting Studio 'SSH test'");
    expect(fx.backend.record.activity).toContain('exec');
  });

  it('passes exit code 0 and large output without losing bytes', async () => {
    const result = await fx.client.ssh(['head -c 3000000 /dev/zero | tr "\\0" x']);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(3_000_000);
  });

  it('gives a command without a PTY the environment sshd would: SSH_CONNECTION, LANG, sent variables', async () => {
    const result = await fx.client.ssh([
      '-o',
      'SetEnv=FOO=bar',
      'echo "foo=$FOO lang=$LANG conn=$SSH_CONNECTION client=$SSH_CLIENT"; test -t 0 && echo tty || echo notty',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('foo=bar lang=C.UTF-8');
    expect(result.stdout).toMatch(new RegExp(`conn=127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${fx.port} `));
    expect(result.stdout).toMatch(new RegExp(`client=127\\.0\\.0\\.1 \\d+ ${fx.port}\\n`));
    expect(result.stdout).toContain('notty');
    expect(fx.backend.record.execs.at(-1)).toMatchObject({
      cmd: ['bash', '-c', expect.any(String)],
      tty: false,
    });
  });

  it("answers OpenSSH's keepalives, so a quiet command outlives ServerAliveCountMax", async () => {
    // Unanswered, these probes would make ssh give up after about 2 s.
    const result = await fx.client.ssh([
      '-o',
      'ServerAliveInterval=1',
      '-o',
      'ServerAliveCountMax=1',
      'sleep 3; echo awake',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: 'awake\n' });
  });

  it('refuses an environment variable with an invalid name', async () => {
    const result = await fx.client.ssh(['-o', 'SetEnv=BAD-NAME=x', 'echo "ran"']);
    // OpenSSH only warns about a refused variable; the command still runs without it.
    expect(result.code).toBe(0);
    expect(fx.backend.record.execs.at(-1)?.env).not.toHaveProperty('BAD-NAME');
  });

  it('runs a command on a PTY of the requested size and TERM', async () => {
    const result = await fx.client.ssh([
      '-tt',
      '-o',
      'SetEnv=TERM=ignored-by-pty',
      'echo "size=$(stty size) term=$TERM"; test -t 0 && echo tty; exit 4',
    ]);
    expect(result.code).toBe(4);
    // ssh -tt without a terminal on its side asks for 80x24 and passes its own TERM (or "dumb").
    expect(result.stdout).toMatch(/size=24 80 term=\S+/);
    expect(result.stdout).toContain('tty');
    expect(fx.backend.record.execs.at(-1)).toMatchObject({ tty: true, cols: 80, rows: 24 });
  });

  it('runs a login shell on a PTY and reports its exit code', async () => {
    const result = await fx.client.ssh(['-tt'], 'echo "shell=$0 n=$((6*7))"; exit 7\n');
    expect(result.code).toBe(7);
    expect(result.stdout).toContain('shell=bash n=42');
    expect(fx.backend.record.execs.at(-1)).toMatchObject({ cmd: ['bash', '-l'], tty: true });
  });

  it('reports a Studio that cannot start on stderr with exit status 1', async () => {
    fx.backend.readyFailure = 'The Studio could not start: out of disk';
    const result = await fx.client.ssh(['echo never']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The Studio could not start: out of disk');
    expect(result.stdout).toBe('');
  });

  it('ends a live session within 2 s when the server closes the connection', async () => {
    const running = fx.client.ssh(['echo started; sleep 60']);
    await waitFor(() => fx.backend.record.open.exec === 1 && fx.backend.record.connections.length === 1, {
      what: 'a running command',
    });
    const control = fx.backend.record.connections[0];
    const started = Date.now();
    control?.close('Your access to this Studio was removed');
    const result = await running;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Your access to this Studio was removed');
    await waitFor(() => fx.backend.driver.stats().processes === 0, { what: 'the command to be killed' });
    expect(fx.backend.record.disposedSessions).toBe(1);
    expect(fx.backend.record.open).toEqual({ shell: 0, exec: 0, sftp: 0, forward: 0 });
  });

  it('close() ends every connection and the processes behind them', async () => {
    const file = join(fx.workspace, 'pid');
    const running = fx.client.ssh([`echo $$ > ${file}; sleep 60`]);
    const pid = await waitFor(() => Number(readFileSync(file, 'utf8')) || 0, { what: 'the pid file' });
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => fx.backend.record.open.exec === 1, { what: 'the exec channel' });
    await fx.gateway.close();
    expect((await running).code).not.toBe(0);
    await waitFor(() => fx.backend.driver.stats().processes === 0, { what: 'the process to end' });
  });
});
