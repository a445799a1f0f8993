import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Studio } from '@studios/protocol';
import { tempDir, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  callAs,
  createStudio,
  type ListeningTestServer,
  signUp,
  startTestServer,
} from '../../testing';
import { LiveDocs } from '../../testing/live-docs';
import {
  addKey,
  finish,
  makeKey,
  SftpSession,
  SshClient,
  type SshResult,
  type TestKey,
} from '../../testing/ssh-client';
import { standardFeatures } from '../standard-features';

const SSH_ON = { port: 0, host: '127.0.0.1', publicHost: undefined, publicPort: undefined };

/** A free TCP port on this machine's loopback, for `ssh -L`. */
async function freeLocalPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Collects a child's stdout as text while it runs. */
function watchOutput(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return () => output;
}

const denied = (result: SshResult) => {
  expect(result.code).toBe(255);
  expect(result.stderr).toContain('Permission denied (publickey)');
};

// Issue #11 with the real OpenSSH client into a real Docker Studio: wake on connect, exec,
// PTY, sftp, scp, forwarding policy, roles, revocation, and an sftp edit reaching a live document.
describe('SSH gateway into a Docker Studio', { timeout: 240_000 }, () => {
  const work = tempDir('studios-ssh-docker-');
  let t: ListeningTestServer;
  let ada: Account; // owner
  let bob: Account; // editor
  let cleo: Account; // viewer
  let dan: Account; // stranger
  let studio: Studio;
  const keys: Record<string, TestKey> = {};
  const clients: SshClient[] = [];
  let bobSsh: SshClient;

  beforeAll(async () => {
    t = await startTestServer({
      config: { runtime: 'docker', idleMinutes: 0, ssh: SSH_ON },
      // Write-back after a second, as in production: typing is in flight while an sftp upload lands.
      features: standardFeatures({ collab: { writeDebounceMs: 1_000 } }),
    });
    [ada, bob, cleo, dan] = [await signUp(t), await signUp(t), await signUp(t), await signUp(t)];
    studio = await createStudio(t, ada, {
      name: 'SSH Studio',
      members: [
        [bob, 'editor'],
        [cleo, 'viewer'],
      ],
    });
    for (const [name, who] of [
      ['ada', ada],
      ['bob', bob],
      ['cleo', cleo],
      ['dan', dan],
    ] as const) {
      keys[name] = makeKey();
      await addKey(t, who, keys[name] as TestKey);
      clients.push(await SshClient.for(t, who, keys[name] as TestKey));
    }
    bobSsh = clients[1] as SshClient;
  });

  afterAll(async () => {
    for (const client of clients) client.dispose();
    for (const key of Object.values(keys)) key.dispose();
    await t?.close();
    work.cleanup();
  });

  it('wakes a sleeping Studio on connect, saying so on stderr, and runs the command in /workspace', async () => {
    expect((await t.driver.status(studio.id)).state).not.toBe('running');
    const result = await bobSsh.run(studio.id, ['pwd; id -un']);
    expect(result.stderr).toMatch(/Studios: /);
    expect(result).toMatchObject({ code: 0, stdout: Buffer.from('/workspace\nstudio\n') });
    expect((await t.driver.status(studio.id)).state).toBe('running');
  });

  it('runs commands with exit codes, stdin, stderr and env', async () => {
    const result = await bobSsh.run(
      studio.id,
      ['read line; echo "got $line"; echo "to stderr" >&2; exit 42'],
      {
        input: 'hello\n',
      },
    );
    expect(result).toMatchObject({ code: 42, stdout: Buffer.from('got hello\n') });
    expect(result.stderr).toContain('to stderr');
    const env = await bobSsh.run(studio.id, ['echo "$STUDIOS_TEST_VAR"'], {
      extra: ['SetEnv=STUDIOS_TEST_VAR=set-by-client'],
    });
    expect(env.stdout.toString()).toBe('set-by-client\n');
  });

  it('gives a PTY whose size follows the client window (stty size)', async () => {
    // script(1) gives ssh a real terminal of a known size; resizing that terminal sends SIGWINCH
    // to ssh, which sends window-change.
    const command = 'stty size; while [ "$(stty size)" = "40 100" ]; do sleep 0.1; done; stty size; exit 7';
    const ssh = spawn(
      'script',
      [
        '-qfec',
        `stty rows 40 cols 100; exec ssh ${bobSsh
          .options()
          .map((arg) => `'${arg}'`)
          .join(' ')} -tt -p ${bobSsh.gateway.port} ${studio.id}@127.0.0.1 '${command}'`,
        '/dev/null',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const output = watchOutput(ssh);
    const ended = finish(ssh);
    await waitFor(() => output().includes('40 100'), { timeoutMs: 20_000 });
    const sshPid = execFileSync('pgrep', ['-P', String(ssh.pid), '-x', 'ssh'])
      .toString()
      .trim();
    const tty = execFileSync('readlink', [`/proc/${sshPid}/fd/0`])
      .toString()
      .trim();
    execFileSync('stty', ['-F', tty, 'rows', '50', 'cols', '120']);
    await waitFor(() => output().includes('50 120'), { timeoutMs: 20_000 });
    const result = await ended;
    expect(result.code).toBe(7);
  });

  it('moves 10 MB through sftp both ways byte for byte, and files through scp', async () => {
    const local = join(work.dir, 'big.bin');
    const back = join(work.dir, 'big.back');
    writeFileSync(local, randomBytes(10 * 1024 * 1024));
    const sftp = await bobSsh.sftp(
      studio.id,
      `put ${local} /workspace/big.bin\nget /workspace/big.bin ${back}\n`,
    );
    expect(sftp.code, sftp.stderr).toBe(0);
    execFileSync('cmp', [local, back]);
    const inside = await bobSsh.run(studio.id, ['stat -c "%s %U" /workspace/big.bin']);
    expect(inside.stdout.toString()).toBe(`${10 * 1024 * 1024} studio\n`);

    const small = join(work.dir, 'note.txt');
    writeFileSync(small, 'through scp\n');
    const up = await bobSsh.scp(studio.id, [small, 'remote:/workspace/note.txt']);
    expect(up.code, up.stderr).toBe(0);
    const down = await bobSsh.scp(studio.id, ['remote:/workspace/note.txt', join(work.dir, 'note.back')]);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(join(work.dir, 'note.back'), 'utf8')).toBe('through scp\n');
  });

  it("forwards to the Studio's own loopback and nowhere else; -R is refused", async () => {
    const localPort = await freeLocalPort();
    const server = bobSsh.spawn(
      studio.id,
      ['cd /tmp && echo hi-from-studio > index.html && exec python3 -m http.server 8765 --bind 127.0.0.1'],
      ['ExitOnForwardFailure=yes', `LocalForward=127.0.0.1:${localPort} 127.0.0.1:8765`],
    );
    const served = finish(server);
    try {
      await waitFor(
        async () => {
          const response = await fetch(`http://127.0.0.1:${localPort}/index.html`).catch(() => undefined);
          if (!response?.ok) return false;
          expect(await response.text()).toBe('hi-from-studio\n');
          return true;
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      server.kill('SIGTERM');
      await served;
    }
    // The Studio network's gateway (this host), a neighbour's address, cloud metadata: the
    // gateway refuses to open the channel, so nothing is ever dialled (the agent only dials the
    // Studio's own 127.0.0.1).
    const gatewayIp = execFileSync('docker', [
      'network',
      'inspect',
      '-f',
      '{{(index .IPAM.Config 0).Gateway}}',
      `studios-${studio.id}`,
    ])
      .toString()
      .trim();
    for (const target of [`${gatewayIp}:22`, '10.213.0.34:22', '169.254.169.254:80', 'example.com:80']) {
      const result = await bobSsh.run(studio.id, [], { flags: ['-W', target] });
      expect(result.code, target).not.toBe(0);
      expect(result.stderr, target).toMatch(
        /stdio forwarding failed|open failed|administratively prohibited/,
      );
    }
    const remote = await bobSsh.run(studio.id, [], {
      flags: ['-N'],
      extra: ['ExitOnForwardFailure=yes', 'RemoteForward=127.0.0.1:9999 127.0.0.1:22'],
    });
    expect(remote.code).toBe(255);
    expect(remote.stderr).toMatch(/remote port forwarding failed/);
  });

  it('refuses viewers, strangers, unknown keys and unknown Studios with the same answer', async () => {
    const [, , cleoSsh, danSsh] = clients as [SshClient, SshClient, SshClient, SshClient];
    denied(await cleoSsh.run(studio.id, ['true']));
    denied(await danSsh.run(studio.id, ['true']));
    denied(await bobSsh.run('no-such-studio', ['true']));
    denied(await bobSsh.run('root', ['true']));
    const unknown = makeKey();
    const stranger = new SshClient(bobSsh.gateway, unknown);
    try {
      denied(await stranger.run(studio.id, ['true']));
    } finally {
      stranger.dispose();
      unknown.dispose();
    }
  });

  it('closes a removed member’s session within 2 s', async () => {
    const eve = await signUp(t);
    const key = makeKey();
    try {
      await addKey(t, eve, key);
      const added = await callAs(t, ada, 'POST', `/api/studios/${studio.id}/members`, {
        email: eve.email,
        role: 'editor',
      });
      expect(added.status).toBe(201);
      const eveSsh = await SshClient.for(t, eve, key);
      clients.push(eveSsh);
      const child = eveSsh.spawn(studio.id, ['echo in; exec sleep 600']);
      const output = watchOutput(child);
      let closed = false;
      void finish(child).then(() => {
        closed = true;
      });
      await waitFor(() => output().includes('in'), { timeoutMs: 20_000 });
      expect(
        (await callAs(t, ada, 'DELETE', `/api/studios/${studio.id}/members/${eve.user.id}`)).status,
      ).toBe(204);
      await waitFor(() => closed, { timeoutMs: 2_000 });
      denied(await eveSsh.run(studio.id, ['true']));
    } finally {
      key.dispose();
    }
  });

  it('puts a file saved over sftp into the live document, merged with concurrent typing', async () => {
    expect(
      (await bobSsh.run(studio.id, ['printf "line one\\nline two\\n" > /workspace/shared.txt'])).code,
    ).toBe(0);
    const docs = new LiveDocs(t, ada, studio.id);
    const sftp = await SftpSession.open(bobSsh, studio.id);
    try {
      const live = docs.open('shared.txt');
      await waitFor(() => live.text.toString() === 'line one\nline two\n', { timeoutMs: 20_000 });
      // Bob edits the first line of what is on disk, as an editor over sftp would, while Ada's
      // typing at the end has not reached the disk yet (the write-back waits a second).
      const edited = join(work.dir, 'shared.txt');
      writeFileSync(edited, 'LINE ONE (over sftp)\nline two\n');
      live.text.insert(live.text.length, 'typed by ada\n');
      await sftp.run(`put ${edited} /workspace/shared.txt`);
      const merged = 'LINE ONE (over sftp)\nline two\ntyped by ada\n';
      await waitFor(() => live.text.toString() === merged, { timeoutMs: 10_000 });
      // …and the merge reaches the disk for SSH users to see.
      await waitFor(
        async () => (await bobSsh.run(studio.id, ['cat /workspace/shared.txt'])).stdout.toString() === merged,
        { timeoutMs: 10_000 },
      );
    } finally {
      await sftp.close();
      docs.dispose();
    }
  });
});
