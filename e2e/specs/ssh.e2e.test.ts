import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshConnectInfo, SshGatewayInfo, SshKeySummary } from '@studios/protocol';
import { type TempDir, tempDir, waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  launchBrowser,
  openStudio,
  type Person,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
} from '../src/index';

/** `SHA256:…` as `ssh-keygen -lf` prints it for a public key or known_hosts file. */
function keygenFingerprint(path: string): string {
  const printed = execFileSync('ssh-keygen', ['-lf', path], { encoding: 'utf8' });
  const fingerprint = printed.trim().split(/\s+/)[1] ?? '';
  expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  return fingerprint;
}

// Remote-SSH from the browser's side: a real key made by ssh-keygen is added in Settings › SSH
// keys, the Studio's "VS Code / Cursor" dialog gives the config block and host key that real
// OpenSSH then connects with, the connection shows in the presence list, and deleting its key
// closes it.
describe('Remote-SSH', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let ada: Person;
  let cleo: Person;
  let studioId = '';
  let keys: TempDir;
  let publicKey = '';
  let fingerprint = '';
  let gateway: SshGatewayInfo;
  let hostAlias = '';
  const sshProcesses: ChildProcess[] = [];
  const keyComment = 'ada@e2e-laptop';

  beforeAll(async () => {
    // The runtime is not under test here; local processes keep the flow light. Port 0: the
    // gateway takes a free port, so parallel servers never collide on 2222.
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local', STUDIOS_SSH_PORT: '0' }),
      launchBrowser(),
    ]);
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada Lovelace');
    const viewer = await ApiUser.signup(server.url, 'cleo@example.com', 'Cleo');
    studioId = (await owner.createStudio('Reports')).id;
    await owner.addMember(studioId, 'cleo@example.com', 'viewer');
    [ada, cleo] = await Promise.all([signedInPerson(browser, owner), signedInPerson(browser, viewer)]);
    // The Copy buttons write to the clipboard; reading it back proves what was copied.
    await ada.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });

    keys = tempDir('studios-e2e-ssh-');
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      keyComment,
      '-f',
      join(keys.dir, 'id_ed25519'),
    ]);
    publicKey = readFileSync(join(keys.dir, 'id_ed25519.pub'), 'utf8').trim();
    fingerprint = keygenFingerprint(join(keys.dir, 'id_ed25519.pub'));
    const answer = await owner.request('GET', '/api/ssh');
    expect(answer.status).toBe(200);
    gateway = (await answer.json()) as SshGatewayInfo;
    expect(gateway.enabled).toBe(true);
  });

  afterAll(() => {
    for (const child of sshProcesses) if (child.exitCode === null) child.kill('SIGKILL');
    keys?.cleanup();
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (studioId) await owner?.deleteStudio(studioId);
    },
  );

  /** Runs the real OpenSSH client with the config the dialog gave, nothing from this machine's. */
  function startSsh(command: string): ChildProcess {
    const child = spawn(
      'ssh',
      [
        '-F',
        join(keys.dir, 'config'),
        '-o',
        `UserKnownHostsFile=${join(keys.dir, 'known_hosts')}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'BatchMode=yes',
        hostAlias,
        command,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    sshProcesses.push(child);
    return child;
  }

  it('adds a key made by ssh-keygen through the UI, after refusing a bad one with the server’s reason', async () => {
    const { page } = ada;
    await page.goto('/');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'SSH keys' }).click();
    await page.waitForURL(/\/settings\/ssh-keys$/);
    const sidebarLink = page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'SSH keys' });
    expect(await sidebarLink.getAttribute('aria-current')).toBe('page');
    await page.getByText('No SSH keys yet').waitFor();
    // What a client prints on first contact is what the page shows.
    expect(await page.getByTestId('ssh-host-fingerprint').textContent()).toBe(gateway.hostKey.fingerprint);

    const badKey = 'ssh-ed25519 AAAAnot-a-real-key typo@laptop';
    const refusal = await owner.request('POST', '/api/ssh-keys', { name: 'typo', publicKey: badKey });
    expect(refusal.status).toBe(400);
    const refused = (await refusal.json()) as { code: string; message: string };
    expect(refused.code).toBe('ssh_key_invalid');

    await page.getByRole('button', { name: 'Add SSH key', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add SSH key' });
    const keyField = dialog.getByLabel('Public key');
    const nameField = dialog.getByLabel('Name');
    await keyField.fill(badKey);
    expect(await nameField.inputValue()).toBe('typo@laptop');
    await dialog.getByRole('button', { name: 'Add key' }).click();
    const error = dialog.getByRole('alert');
    await error.waitFor();
    const shown = (await error.textContent()) ?? '';
    expect(shown).toContain(refused.message.replace(/\.$/, ''));
    expect(shown).toContain('ssh-keygen -t ed25519');

    // The name follows the pasted key's comment until one is typed.
    await keyField.fill(publicKey);
    expect(await nameField.inputValue()).toBe(keyComment);
    await dialog.getByRole('button', { name: 'Add key' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: new RegExp(keyComment) });
    expect(await row.getByTestId('ssh-key-fingerprint').textContent()).toBe(fingerprint);
    await row.getByText('ED25519 · 256 bits').waitFor();
    await row.getByText('Never', { exact: true }).waitFor();

    const listed = (await (await owner.request('GET', '/api/ssh-keys')).json()) as SshKeySummary[];
    expect(listed.map((key) => [key.name, key.fingerprint])).toEqual([[keyComment, fingerprint]]);
  });

  it('gives the Studio’s config block, with the key file the person names, and the host key to trust', async () => {
    const { page } = ada;
    await openStudio(page, studioId);
    await page.getByTestId('ssh-connect-button').click();
    const dialog = page.getByRole('dialog', { name: 'Open in VS Code or Cursor' });
    await dialog.getByText(keyComment).waitFor();

    const block = dialog.getByTestId('ssh-config-block');
    const text = (await block.textContent()) ?? '';
    expect(text).toContain(studioId);
    expect(text).toMatch(new RegExp(`^\\s*Port\\s+${gateway.port}\\s*$`, 'm'));
    expect(text).toMatch(/^\s*IdentityFile\s+~\/\.ssh\/id_ed25519\s*$/m);
    expect(await dialog.getByTestId('ssh-connect-fingerprint').textContent()).toBe(
      gateway.hostKey.fingerprint,
    );

    // The private key file the person names goes into the block's IdentityFile line.
    const identityFile = join(keys.dir, 'id_ed25519');
    await dialog.getByLabel('Private key file').fill(identityFile);
    await waitFor(async () => (await block.textContent())?.includes(`IdentityFile ${identityFile}`), {
      what: 'the IdentityFile line to follow the field',
    });
    await dialog.getByRole('button', { name: 'Copy SSH config block' }).click();
    const config = await page.evaluate(() => navigator.clipboard.readText());
    expect(config).toBe(await block.textContent());

    const info = (await (
      await owner.request('GET', `/api/studios/${studioId}/ssh`)
    ).json()) as SshConnectInfo;
    hostAlias = info.hostAlias;
    expect(await dialog.getByTestId('ssh-open-vscode').getAttribute('href')).toBe(info.vscodeUri);
    expect(await dialog.getByTestId('ssh-open-cursor').getAttribute('href')).toBe(info.cursorUri);
    await dialog.getByText(`ssh ${hostAlias}`, { exact: true }).waitFor();
    await dialog.getByText(`npx studios ssh-config ${studioId}`, { exact: true }).waitFor();
    const knownHosts = (await dialog.getByTestId('ssh-known-hosts').textContent()) ?? '';
    expect(knownHosts).toBe(gateway.knownHostsLine);

    // What the person would paste: the block into a config file, the line into known_hosts.
    writeFileSync(join(keys.dir, 'config'), `${config}\n`);
    writeFileSync(join(keys.dir, 'known_hosts'), `${knownHosts}\n`);
    expect(keygenFingerprint(join(keys.dir, 'known_hosts'))).toBe(gateway.hostKey.fingerprint);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('keeps viewers out: the button says why', async () => {
    const { page } = cleo;
    await openStudio(page, studioId);
    const button = page.getByTestId('ssh-connect-button');
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await button.getAttribute('title')).toBe(
      "Viewers can't connect over SSH — ask an owner for editor access",
    );
    // Playwright will not click what is aria-disabled; a click event is what a person's click sends.
    await button.dispatchEvent('click');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('lets real OpenSSH in with the dialog’s config, shows the connection in presence, and closes it when its key is deleted', async () => {
    const { page } = ada;
    // A second key, so deleting it here leaves the first one to the next test.
    const secondKey = join(keys.dir, 'id_second');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ssh-box', '-f', secondKey]);
    const added = await owner.request('POST', '/api/ssh-keys', {
      name: 'ssh-box',
      publicKey: readFileSync(`${secondKey}.pub`, 'utf8'),
    });
    expect(added.status).toBe(201);
    const { id: secondKeyId } = (await added.json()) as SshKeySummary;
    try {
      const config = readFileSync(join(keys.dir, 'config'), 'utf8');
      writeFileSync(join(keys.dir, 'config'), config.replace(join(keys.dir, 'id_ed25519'), secondKey));

      const echo = startSsh('echo studio-over-ssh');
      let stdout = '';
      let stderr = '';
      echo.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      // Progress notices ("Starting Studio…") go to stderr; kept to explain a failure.
      echo.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((done) => echo.once('exit', done));
      expect({ code, stdout: stdout.trim(), stderr }).toEqual({
        code: 0,
        stdout: 'studio-over-ssh',
        stderr: expect.any(String),
      });

      // Ada's Studio page (still open) lists the connection; her keys page deletes its key.
      const session = startSsh('sleep 120');
      const closed = new Promise<void>((done) => session.once('exit', () => done()));
      const tag = page.getByTestId(`ssh-presence-${owner.user.id}`);
      await tag.waitFor({ timeout: 30_000 });
      await tag.getByText('SSH', { exact: true }).waitFor();
      // The hover text: who, the client's version string, since when, and the open channels.
      await waitFor(
        async () =>
          /^Ada Lovelace — over SSH\nOpenSSH_\S+.* · connected .* · 1 command$/.test(
            (await tag.locator('.ui-avatar').getAttribute('title')) ?? '',
          ),
        { what: "the SSH avatar's tooltip to describe the connection" },
      );

      const keysPage = await ada.context.newPage();
      try {
        await keysPage.goto('/settings/ssh-keys');
        await keysPage
          .getByRole('row', { name: /ssh-box/ })
          .getByRole('button', { name: 'Delete ssh-box' })
          .click();
        const confirm = keysPage.getByRole('alertdialog', { name: 'Delete “ssh-box”?' });
        await confirm.getByText('open SSH sessions using this key will be closed').waitFor();
        await confirm.getByRole('button', { name: 'Delete key' }).click();
        await confirm.waitFor({ state: 'detached' });
      } finally {
        await keysPage.close();
      }
      await waitFor(() => session.exitCode !== null || session.signalCode !== null, {
        timeoutMs: 15_000,
        what: 'the SSH session using the deleted key to be closed',
      });
      await closed;
      await tag.waitFor({ state: 'detached', timeout: 15_000 });
    } finally {
      // Whatever happened above, the next test starts from the first key alone.
      await owner.request('DELETE', `/api/ssh-keys/${secondKeyId}`);
    }
  });

  it('deletes the key, after saying that open SSH sessions using it will be closed', async () => {
    const { page } = ada;
    await page.goto('/settings/ssh-keys');
    const row = page.getByRole('row', { name: new RegExp(keyComment) });
    await row.getByRole('button', { name: `Delete ${keyComment}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Delete “${keyComment}”?` });
    await confirm.getByText(fingerprint).waitFor();
    await confirm.getByText('open SSH sessions using this key will be closed').waitFor();
    await confirm.getByRole('button', { name: 'Delete key' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByText('No SSH keys yet').waitFor();
    expect(await (await owner.request('GET', '/api/ssh-keys')).json()).toEqual([]);
  });
});
