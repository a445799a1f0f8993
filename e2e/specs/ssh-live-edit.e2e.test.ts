import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshGatewayInfo } from '@studios/protocol';
import { waitFor } from '@studios/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiUser,
  editorText,
  launchBrowser,
  openFileInEditor,
  openStudio,
  type Person,
  type StudiosServer,
  signedInPerson,
  startStudiosServer,
  type TestBrowser,
  tearDownSpec,
  typeAtEnd,
  waitForEditorText,
} from '../src/index';

const FILE = 'shared.py';

/**
 * The real `sftp` client kept connected (`-b -`: commands on stdin), so an upload lands at the
 * moment the test chooses rather than after connecting and logging in.
 */
class Sftp {
  #output = '';
  #commands = 0;
  readonly #child: ChildProcess;

  constructor(args: string[]) {
    this.#child = spawn('sftp', [...args, '-b', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString();
    };
    this.#child.stdout?.on('data', collect);
    this.#child.stderr?.on('data', collect);
  }

  /** Runs `command`; resolves once sftp answered the `pwd` queued behind it. */
  async run(command: string): Promise<void> {
    const expected = ++this.#commands;
    this.#child.stdin?.write(`${command}\npwd\n`);
    await waitFor(
      () => {
        if (this.#child.exitCode !== null) throw new Error(`sftp exited: ${this.#output}`);
        return this.#output.split('Remote working directory:').length - 1 >= expected;
      },
      { timeoutMs: 20_000, intervalMs: 10, what: `sftp to finish "${command}"` },
    );
  }

  close(): void {
    this.#child.stdin?.end();
  }
}

// Issue #11: a file saved over sftp (as VS Code Remote-SSH saves) appears in a browser's Monaco
// editor while someone types there, and nothing either of them wrote is lost.
describe('SSH and the browser editor, live', () => {
  let server: StudiosServer;
  let browser: TestBrowser;
  let owner: ApiUser;
  let ada: Person;
  let studioId = '';
  const dir = mkdtempSync(join(tmpdir(), 'studios-e2e-ssh-'));
  let sftpArgs: string[] = [];
  let onDisk = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startStudiosServer({ STUDIOS_RUNTIME: 'local' }),
      launchBrowser(),
    ]);
    // The first account is the instance admin: on the local runtime only they may use SSH.
    owner = await ApiUser.signup(server.url, 'ada@example.com', 'Ada');
    studioId = (await owner.createStudio('ssh live')).id;
    onDisk = join(server.dataDir, 'studios', studioId, 'workspace', FILE);
    await owner.writeFile(studioId, FILE, 'def greet():\n    return "hello"\n');
    const key = join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const added = await owner.request('POST', '/api/ssh-keys', {
      name: 'e2e',
      publicKey: readFileSync(`${key}.pub`, 'utf8'),
    });
    expect(added.status).toBe(201);
    const gateway = (await (await owner.request('GET', '/api/ssh')).json()) as SshGatewayInfo;
    writeFileSync(join(dir, 'known_hosts'), `${gateway.knownHostsLine}\n`);
    sftpArgs = [
      '-F',
      '/dev/null',
      ...[
        'BatchMode=yes',
        'IdentitiesOnly=yes',
        `IdentityFile=${key}`,
        `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
      ]
        .concat(['StrictHostKeyChecking=yes', `HostKeyAlias=${gateway.hostKeyAlias}`])
        .flatMap((option) => ['-o', option]),
      '-P',
      String(gateway.port),
      `${studioId}@127.0.0.1`,
    ];
    ada = await signedInPerson(browser, owner);
    await openStudio(ada.page, studioId);
    await openFileInEditor(ada.page, FILE);
    await waitForEditorText(ada.page, FILE, 'def greet():\n    return "hello"\n');
  });

  tearDownSpec(
    () => browser,
    () => server,
    async () => {
      if (owner && studioId) await owner.deleteStudio(studioId);
      rmSync(dir, { recursive: true, force: true });
    },
  );

  it('merges an sftp upload into the editor while its user is typing, and saves the merge', async () => {
    const sftp = new Sftp(sftpArgs);
    try {
      await sftp.run('pwd');
      // The SSH user changes the first line of the file as it is on disk; Ada is typing at the
      // end, and her keystrokes have not been written back yet when the upload lands.
      const edited = join(dir, FILE);
      writeFileSync(edited, 'def greet(name):\n    return "hello"\n');
      await typeAtEnd(ada.page, FILE, '# typed');
      // Relative: sftp starts in the workspace (on the local runtime that is not /workspace).
      await sftp.run(`put ${edited} ${FILE}`);
      await typeAtEnd(ada.page, FILE, ' after');
      const expected = 'def greet(name):\n    return "hello"\n# typed after';
      await waitFor(async () => (await editorText(ada.page, FILE)) === expected, {
        timeoutMs: 15_000,
        what: 'the editor to hold the sftp change and everything typed',
      });
      await waitFor(async () => readFileSync(onDisk, 'utf8') === expected, {
        timeoutMs: 15_000,
        what: 'the file on disk to hold the merged text',
      });
    } finally {
      sftp.close();
    }
  });
});
