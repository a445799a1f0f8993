import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshGatewayInfo, SshKeySummary, Studio, TokenCreated } from '@studios/protocol';
import { findProcesses, tempDirs, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runSsh } from './testing/run-cli';
import { freePort, type RunningServer, startStudiosServer } from './testing/studios-server';

const mode = (path: string) => statSync(path).mode & 0o777;

// The CLI as a person runs it (bin/studios.mjs in a child process, a temp HOME) against a real
// Studios server with the local runtime and its SSH gateway; OpenSSH reads back the ~/.ssh/config
// and known_hosts it writes (ssh -G, ssh-keygen -F) and connects with them.
describe('studios CLI against a real server', { timeout: 120_000 }, () => {
  const dirs = tempDirs();
  let server: RunningServer;
  let token: string;
  let studio: Studio;
  let home: string;
  let env: Record<string, string>;
  const studios = (...args: string[]) => runCli(args, env);
  const fetchAsAda = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startStudiosServer();
    const signup = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' }),
    });
    expect(signup.status).toBe(201);
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const asAda = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    token = TokenCreated.parse(await (await asAda('/api/tokens', { name: 'cli' })).json()).token;
    studio = Studio.parse(await (await asAda('/api/studios', { name: 'CLI Demo' })).json());
    home = dirs.make('studios-cli-home-');
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') };
  });

  afterAll(async () => {
    await server?.stop();
    dirs.cleanup();
    // The Studio the ssh login woke ends with the server: no process of it is left behind.
    if (server) {
      await waitFor(() => findProcesses(server.dataDir).length === 0, {
        timeoutMs: 15_000,
        what: `the processes under ${server.dataDir} to end`,
      });
    }
  });

  it('refuses a wrong token at login and stores nothing', async () => {
    const result = await studios('login', '--server', server.url, '--token', 'stu_not-a-real-token');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `studios: ${server.url} did not accept this token (revoked or mistyped?): create one in the web app (your avatar → API tokens)\n`,
    );
    expect(() => statSync(join(home, 'xdg', 'studios', 'config.json'))).toThrow();
  });

  it('logs in with a token from STUDIOS_TOKEN and stores it for its owner only', async () => {
    const result = await runCli(['login', '--server', `${server.url}/`], { ...env, STUDIOS_TOKEN: token });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Signed in to ${server.url} as Ada <ada@example.com>`);
    const path = join(home, 'xdg', 'studios', 'config.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ server: server.url, token });
    expect(mode(path)).toBe(0o600);
    expect(mode(join(home, 'xdg', 'studios'))).toBe(0o700);
  });

  it('lists the Studios with the caller’s role and state, as a table and as JSON', async () => {
    const table = await studios('list');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ROLE\s+STATE$/);
    expect(table.stdout).toMatch(new RegExp(`${studio.id}\\s+CLI Demo\\s+owner\\s+stopped`));
    const json = await studios('list', '--json');
    expect(
      Studio.array()
        .parse(JSON.parse(json.stdout))
        .map((entry) => entry.id),
    ).toEqual([studio.id]);
  });

  it('says what to do when the server is unreachable or refuses the token', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await studios('list', '--server', closed, '--token', token);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(
      `studios: cannot reach ${closed} (ECONNREFUSED): check the address, or run studios login --server <url>\n`,
    );
    const refused = await studios('list', '--token', 'stu_revoked');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`studios: ${server.url} did not accept the API token: run studios login\n`);
  });

  it('registers the default key, lists it with the fingerprint ssh-keygen prints, and refuses it twice', async () => {
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    const keyPath = join(home, '.ssh', 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ada@laptop', '-f', keyPath]);
    const fingerprint = execFileSync('ssh-keygen', ['-lf', `${keyPath}.pub`])
      .toString()
      .split(' ')[1];

    const added = await studios('key', 'add');
    expect(added.code).toBe(0);
    const listed = await studios('key', 'list', '--json');
    const keys = SshKeySummary.array().parse(JSON.parse(listed.stdout));
    expect(keys).toMatchObject([{ name: 'ada@laptop', fingerprint, algorithm: 'ssh-ed25519' }]);
    expect(added.stdout).toBe(`Added key 'ada@laptop' (ssh-ed25519, ${fingerprint}) as ${keys[0]?.id}\n`);
    expect((await studios('key', 'list')).stdout).toContain(fingerprint);

    const again = await studios('key', 'add', `${keyPath}.pub`, '--name', 'again');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /already registered, to you or to someone else: studios key list shows yours/,
    );
    const secret = await studios('key', 'add', keyPath);
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain(`${keyPath} is a private key: pass the public key beside it`);
  });

  it('writes ~/.ssh/config and known_hosts once, and the real ssh client connects with them', async () => {
    const configPath = join(home, '.ssh', 'config');
    const knownHosts = join(home, '.ssh', 'known_hosts');
    const mine = 'Host github.com\n  User git\n';
    writeFileSync(configPath, mine, { mode: 0o600 });

    const printed = await studios('ssh-config', studio.id, '--print');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`  IdentityFile ${join(home, '.ssh', 'id_ed25519')}\n`);
    expect(readFileSync(configPath, 'utf8')).toBe(mine);

    const written = await studios('ssh-config', 'cli-demo');
    expect(written.code).toBe(0);
    expect(written.stderr).toBe('');
    const alias = /^Connect: {2}ssh (\S+)$/m.exec(written.stdout)?.[1] as string;
    expect(alias).toMatch(/^studios-cli-demo-/);
    expect(written.stdout).toContain(`VS Code:  vscode://vscode-remote/ssh-remote+${alias}/workspace`);
    const config = readFileSync(configPath, 'utf8');
    expect(config.startsWith(`${mine}\n# >>> studios ${alias} >>>\nHost ${alias}\n`)).toBe(true);
    expect(config.endsWith(`# <<< studios ${alias} <<<\n`)).toBe(true);
    expect(config).toContain(`  User ${studio.id}\n`);
    expect(config).toContain(printed.stdout);
    const knownLines = readFileSync(knownHosts, 'utf8');
    expect(knownLines.trim().split('\n')).toHaveLength(1);

    // Running it again changes neither file.
    const again = await studios('ssh-config', studio.id);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Kept Host ${alias}`);
    expect(again.stdout).toContain('already in');
    expect(readFileSync(configPath, 'utf8')).toBe(config);
    expect(readFileSync(knownHosts, 'utf8')).toBe(knownLines);

    // Renamed, the Studio gets a new alias: its block is replaced where it was, not duplicated.
    const renamed = await fetch(`${server.url}/api/studios/${studio.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed Demo' }),
    });
    expect(renamed.status).toBe(200);
    const rewritten = await studios('ssh-config', 'renamed demo');
    expect(rewritten.code).toBe(0);
    const newAlias = /^Connect: {2}ssh (\S+)$/m.exec(rewritten.stdout)?.[1] as string;
    expect(newAlias).toMatch(/^studios-renamed-demo-/);
    const reconfigured = readFileSync(configPath, 'utf8');
    expect(reconfigured.startsWith(`${mine}\n# >>> studios ${newAlias} >>>\nHost ${newAlias}\n`)).toBe(true);
    expect(reconfigured).not.toContain(alias);
    expect(reconfigured.match(/^# >>> studios /gm)).toHaveLength(1);

    // OpenSSH itself reads what was written: the Host resolves to the gateway with the pinned
    // host key alias and our key, and the gateway's key is found under that alias. (ssh reads
    // ~/.ssh from the password database, not $HOME: the temp home's files are named outright.)
    const gateway = SshGatewayInfo.parse(await (await fetchAsAda('/api/ssh')).json());
    const resolved = execFileSync('ssh', ['-G', '-F', configPath, newAlias], { stdio: 'pipe' }).toString();
    for (const line of [
      'hostname 127.0.0.1',
      `port ${gateway.port}`,
      `user ${studio.id}`,
      `identityfile ${join(home, '.ssh', 'id_ed25519')}`,
      `hostkeyalias ${gateway.hostKeyAlias}`,
      'stricthostkeychecking true',
    ]) {
      expect(resolved.split('\n')).toContain(line);
    }
    const found = execFileSync('ssh-keygen', ['-F', gateway.hostKeyAlias, '-f', knownHosts]).toString();
    expect(found).toContain(`${gateway.hostKeyAlias} ${gateway.hostKey.publicKey}`);

    // And the real client connects with them: strict host key checking against the pinned line,
    // our key, the Studio woken by the login.
    const ssh = await runSsh([
      '-F',
      configPath,
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=20',
      newAlias,
      'echo hello from $(pwd)',
    ]);
    expect(ssh.stderr).not.toMatch(/WARNING|verification failed|Permission denied/i);
    expect(ssh).toMatchObject({ code: 0, stdout: expect.stringMatching(/^hello from \/\S+\n$/) });
  });

  it('tells a viewer that SSH needs the owner or editor role', async () => {
    const signup = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cleo@example.com', name: 'Cleo', password: 'correct horse battery' }),
    });
    const cleoCookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const cleoToken = TokenCreated.parse(
      await (
        await fetch(`${server.url}/api/tokens`, {
          method: 'POST',
          headers: { cookie: cleoCookie, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'cli' }),
        })
      ).json(),
    ).token;
    const added = await fetch(`${server.url}/api/studios/${studio.id}/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cleo@example.com', role: 'viewer' }),
    });
    expect(added.status).toBe(201);
    const refused = await studios('ssh-config', studio.id, '--token', cleoToken);
    expect(refused).toMatchObject({
      code: 1,
      stderr:
        "studios: you are viewer of 'Renamed Demo': SSH needs the owner or editor role, ask its owner\n",
    });
  });

  it('removes a key by fingerprint, then logs out', async () => {
    const [key] = SshKeySummary.array().parse(JSON.parse((await studios('key', 'list', '--json')).stdout));
    const removed = await studios('key', 'remove', (key as SshKeySummary).fingerprint.replace('SHA256:', ''));
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`Removed key 'ada@laptop' (${key?.fingerprint})\n`);
    expect((await studios('key', 'list')).stdout).toBe('No SSH keys yet: add one with studios key add\n');
    const missing = await studios('key', 'remove', key?.id as string);
    expect(missing).toMatchObject({
      code: 1,
      stderr: `studios: you have no SSH key '${key?.id}': studios key list shows yours\n`,
    });
    // ssh-config still writes the block, and warns that the gateway would refuse the key.
    const unregistered = await studios('ssh-config', studio.id);
    expect(unregistered.code).toBe(0);
    expect(unregistered.stderr).toBe(
      `warning: ${join(home, '.ssh', 'id_ed25519.pub')} is not registered with your account: run studios key add ${join(home, '.ssh', 'id_ed25519.pub')}\n`,
    );

    expect((await studios('logout')).code).toBe(0);
    const after = await studios('list');
    expect(after).toMatchObject({
      code: 1,
      stderr: 'studios: no Studios server: run studios login --server <url>\n',
    });
  });
});
