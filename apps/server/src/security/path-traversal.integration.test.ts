import { existsSync } from 'node:fs';
import { waitFor } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { connectSocket } from '../testing';
import { OUTSIDE_SECRET, SIBLING_SECRET, useSecurityFixture } from '../testing/security-fixture';
import { stateFingerprint } from '../testing/state-fingerprint';

const f = useSecurityFixture();

/** Written into the URL as is (already encoded the way an attacker would send it). */
const queryPaths = () => {
  const other = f.otherStudio.id;
  return [
    '../x',
    '..%2fx',
    '%2e%2e/x',
    '%2e%2e%2fx',
    '..%252fx',
    '..%5c..%5cx',
    'a/../../x',
    '/etc/passwd',
    '%2fetc%2fpasswd',
    `%2ftmp%2fstudios-pwned-${process.pid}`,
    `../${other}/workspace/secret`,
    `../../${other}/workspace/secret`,
    `..%2f..%2f${other}%2fworkspace%2fsecret`,
    'escape-file',
    'escape-dir/secret.txt',
    'escape-dir/new.txt',
  ];
};

/** Paths in JSON bodies (decoded strings). */
const bodyPaths = () => {
  const other = f.otherStudio.id;
  return [
    '../x',
    '..%2fx',
    '%2e%2e/x',
    'a/../../x',
    '..\\x',
    '/etc/passwd',
    `/tmp/studios-pwned-${process.pid}`,
    `../${other}/workspace/secret`,
    `../../${other}/workspace/secret`,
    'escape-dir/secret.txt',
    'escape-dir/new.txt',
    'escape-dir/sub/new.txt',
  ];
};

const files = (rest: string) => `/api/studios/${f.studio.id}/files${rest}`;

describe('path traversal through the files API', () => {
  it('refuses read, download, upload and delete of paths outside the workspace with 4xx; no bytes leave or land', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const path of queryPaths()) {
      const attempts: Array<[string, Promise<Response>]> = [
        ['read', f.call('GET', files(`/content?path=${path}`), f.owner)],
        ['download', f.call('GET', files(`/content?path=${path}&download=1`), f.owner)],
        [
          'upload',
          f.t.request(files(`/content?path=${path}`), {
            method: 'PUT',
            headers: {
              cookie: f.owner.cookie,
              origin: f.t.origin,
              'content-type': 'application/octet-stream',
            },
            body: 'pwned',
          }),
        ],
        ['delete', f.call('DELETE', files(`?path=${path}`), f.owner)],
      ];
      for (const [operation, pending] of attempts) {
        const response = await pending;
        const text = await response.text();
        if (response.status < 400 || response.status >= 500)
          failures.push(`${operation} ${path}: ${response.status}`);
        if (text.includes(SIBLING_SECRET) || text.includes(OUTSIDE_SECRET))
          failures.push(`${operation} ${path}: leaked`);
      }
    }
    expect(failures).toEqual([]);
    expect(existsSync(`/tmp/studios-pwned-${process.pid}`)).toBe(false);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('refuses create and rename to or from paths outside the workspace with 4xx; nothing moves', async () => {
    const before = await stateFingerprint(f);
    const failures: string[] = [];
    for (const path of bodyPaths()) {
      const attempts: Array<[string, unknown, string]> = [
        ['create file', { path, kind: 'file' }, ''],
        ['create folder', { path, kind: 'directory' }, ''],
        ['rename from', { from: path, to: 'stolen.txt' }, '/move'],
        ['rename to', { from: 'readme.md', to: path }, '/move'],
      ];
      for (const [operation, body, route] of attempts) {
        const response = await f.call('POST', files(route), f.owner, body);
        const text = await response.text();
        if (response.status < 400 || response.status >= 500)
          failures.push(`${operation} ${path}: ${response.status}`);
        if (text.includes(SIBLING_SECRET) || text.includes(OUTSIDE_SECRET))
          failures.push(`${operation} ${path}: leaked`);
      }
    }
    expect(failures).toEqual([]);
    expect(existsSync(`/tmp/studios-pwned-${process.pid}`)).toBe(false);
    expect(await stateFingerprint(f)).toBe(before);
  });

  it('lists a symlink to the outside as an entry, never what it points to', async () => {
    const response = await f.call('GET', files(''), f.viewer);
    const listed = (await response.json()) as { entries: Array<{ path: string; kind: string }> };
    expect(listed.entries.map((entry) => entry.path).sort()).toEqual([
      'escape-dir',
      'escape-file',
      'readme.md',
    ]);
  });
});

describe('path traversal through the collab socket', () => {
  /** Opens a live document and returns what the server sent before it settled (or closed). */
  async function openDocument(docPath: string) {
    const url = f.t.wsUrl(`/api/studios/${f.studio.id}/collab/${encodeURIComponent(docPath)}`);
    const socket = await connectSocket(url, { cookie: f.owner.cookie, origin: f.t.origin });
    // y-websocket: the server sends sync step 1 and the document (step 2) once loaded.
    await waitFor(() => socket.closeEvent !== undefined || socket.messages.length >= 2);
    socket.ws.terminate();
    const received = Buffer.concat(socket.messages.filter((m): m is Buffer => Buffer.isBuffer(m))).toString(
      'latin1',
    );
    return { received, closeCode: socket.closeEvent?.code };
  }

  it('sends a normal document’s content (the control for the checks below)', async () => {
    expect((await openDocument('readme.md')).received).toContain('# Readme');
  });

  it('never loads a document from outside the workspace, through ../ or a symlink', async () => {
    const before = await stateFingerprint(f);
    const other = f.otherStudio.id;
    for (const docPath of [
      `../../${other}/workspace/secret`,
      '..%2f..%2fx',
      '/etc/passwd',
      'escape-file',
      'escape-dir/secret.txt',
    ]) {
      const { received, closeCode } = await openDocument(docPath);
      expect(received, docPath).not.toContain(SIBLING_SECRET);
      expect(received, docPath).not.toContain(OUTSIDE_SECRET);
      expect(received, docPath).not.toContain('root:');
      expect(closeCode, docPath).toBeGreaterThanOrEqual(4000);
    }
    await waitFor(() => f.t.server.sockets.openCount === 0);
    expect(await stateFingerprint(f)).toBe(before);
  });
});
