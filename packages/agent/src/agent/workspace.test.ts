import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ErrorCode, isStudiosError } from '@studios/protocol';
import { tempDirs } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentTooLargeError, writeFileAtomic } from './file-io';
import { Workspace } from './workspace';

const dirs = tempDirs();

/** Reads a file as the `fs.read` handler does: open (checked, O_NOFOLLOW), then read the handle. */
async function read(workspace: Workspace, path: string): Promise<string> {
  const { handle } = await workspace.open(path);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Writes a file as the `fs.write` handler does: the checked real path, then an atomic write. */
async function write(workspace: Workspace, path: string, content: Uint8Array): Promise<void> {
  await writeFileAtomic(await workspace.writableFile(path), content);
}
afterEach(() => dirs.cleanup());

/** parent/ws1 is the workspace; parent/ws10 a sibling sharing its prefix; parent/secret.txt outside. */
async function setup() {
  const parent = dirs.make('parent-');
  const root = join(parent, 'ws1');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(join(parent, 'ws10'));
  await writeFile(join(parent, 'ws10', 'other.txt'), 'sibling secret');
  await writeFile(join(parent, 'secret.txt'), 'secret');
  await writeFile(join(root, 'src', 'main.ts'), 'main');
  await symlink(join(parent, 'secret.txt'), join(root, 'escape.txt'));
  await symlink(join(parent, 'ws10'), join(root, 'escape-dir'));
  await symlink('../ws10/other.txt', join(root, 'relative-escape.txt'));
  await symlink('src/main.ts', join(root, 'inside-link.ts'));
  return { parent, root, workspace: new Workspace(root) };
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (isStudiosError(error)) return error.code;
    throw error;
  }
}

describe('Workspace path safety', () => {
  const refused: Array<[string, string]> = [
    ['../secret.txt', ErrorCode.PathOutsideWorkspace],
    ['src/../../secret.txt', ErrorCode.PathOutsideWorkspace],
    ['%2e%2e/secret.txt', ErrorCode.PathOutsideWorkspace],
    ['%2e%2e%2fsecret.txt', ErrorCode.PathOutsideWorkspace],
    ['..%2fsecret.txt', ErrorCode.PathOutsideWorkspace],
    ['%252e%252e%252fsecret.txt', ErrorCode.PathOutsideWorkspace],
    ['/etc/passwd', ErrorCode.PathOutsideWorkspace],
    ['..\\secret.txt', ErrorCode.PathOutsideWorkspace],
    ['src/main.ts\0.png', ErrorCode.PathOutsideWorkspace],
    ['../ws10/other.txt', ErrorCode.PathOutsideWorkspace],
    ['escape.txt', ErrorCode.PathOutsideWorkspace],
    ['relative-escape.txt', ErrorCode.PathOutsideWorkspace],
    ['escape-dir/other.txt', ErrorCode.PathOutsideWorkspace],
    ['', ErrorCode.InvalidRequest],
  ];

  it.each(refused)('read(%j) is refused with %s', async (path, code) => {
    const { workspace } = await setup();
    expect(await codeOf(read(workspace, path))).toBe(code);
  });

  it.each(refused)('write(%j) is refused with %s and writes nothing', async (path, code) => {
    const { workspace, parent } = await setup();
    expect(await codeOf(write(workspace, path, Buffer.from('pwned')))).toBe(code);
    expect(await readFile(join(parent, 'secret.txt'), 'utf8')).toBe('secret');
    expect(await readFile(join(parent, 'ws10', 'other.txt'), 'utf8')).toBe('sibling secret');
  });

  it('refuses to move a file out of, or into, the sibling folder', async () => {
    const { workspace } = await setup();
    expect(await codeOf(workspace.move('src/main.ts', '../ws10/main.ts'))).toBe(
      ErrorCode.PathOutsideWorkspace,
    );
    expect(await codeOf(workspace.move('../ws10/other.txt', 'stolen.txt'))).toBe(
      ErrorCode.PathOutsideWorkspace,
    );
  });

  it('follows a symbolic link that stays inside the workspace', async () => {
    const { workspace, root } = await setup();
    expect(await read(workspace, 'inside-link.ts')).toBe('main');
    await write(workspace, 'inside-link.ts', Buffer.from('changed'));
    expect(await readFile(join(root, 'src', 'main.ts'), 'utf8')).toBe('changed');
    expect((await workspace.stat('inside-link.ts')).kind).toBe('symlink');
  });

  it('resolves a dangling link in a parent folder to where it points, never as a missing folder', async () => {
    const { workspace, root, parent } = await setup();
    // In a Studio this is a link to a host path, which does not exist inside the container.
    await symlink(join(parent, 'not-yet'), join(root, 'dangling-dir'));
    expect(await codeOf(read(workspace, 'dangling-dir/x.txt'))).toBe(ErrorCode.PathOutsideWorkspace);
    expect(await codeOf(write(workspace, 'dangling-dir/x.txt', Buffer.from('x')))).toBe(
      ErrorCode.PathOutsideWorkspace,
    );
    expect(await readdir(parent)).not.toContain('not-yet');
  });

  it('allows odd but harmless names', async () => {
    const { workspace } = await setup();
    await write(workspace, '100%.txt', Buffer.from('percent'));
    await write(workspace, '..hidden', Buffer.from('dots'));
    expect((await workspace.stat('100%.txt')).size).toBe(7);
    expect((await workspace.stat('./src//main.ts')).path).toBe('src/main.ts');
  });
});

describe('Workspace operations', () => {
  it('lists the tree with folders first, without following links', async () => {
    const { workspace } = await setup();
    const { entries, truncated } = await workspace.list();
    expect(truncated).toBe(false);
    expect(entries.map((entry) => `${entry.kind}:${entry.path}`)).toEqual([
      'directory:src',
      'file:src/main.ts',
      'symlink:escape-dir',
      'symlink:escape.txt',
      'symlink:inside-link.ts',
      'symlink:relative-escape.txt',
    ]);
  });

  it('caps a listing and says so', async () => {
    const { root } = await setup();
    const { entries, truncated } = await new Workspace(root).list(3);
    expect(entries).toHaveLength(3);
    expect(truncated).toBe(true);
  });

  it('creates, moves, removes, and reports typed errors', async () => {
    const { workspace } = await setup();
    expect((await workspace.createFile('docs/readme.md')).kind).toBe('file');
    expect(await codeOf(workspace.createFile('docs/readme.md'))).toBe(ErrorCode.AlreadyExists);
    expect((await workspace.createDirectory('docs/img')).kind).toBe('directory');
    expect(await codeOf(workspace.move('docs/readme.md', 'src/main.ts'))).toBe(ErrorCode.AlreadyExists);
    expect((await workspace.move('docs', 'documentation')).path).toBe('documentation');
    expect(await codeOf(workspace.stat('docs/readme.md'))).toBe(ErrorCode.NotFound);
    expect(await codeOf(read(workspace, 'documentation/img'))).toBe(ErrorCode.NotAFile);
    await workspace.remove('documentation');
    expect(await codeOf(workspace.stat('documentation'))).toBe(ErrorCode.NotFound);
    expect(await codeOf(workspace.remove('documentation'))).toBe(ErrorCode.NotFound);
  });

  it('removes a link, not what it points to', async () => {
    const { workspace, parent } = await setup();
    expect(await codeOf(workspace.remove('escape.txt'))).toBe(ErrorCode.PathOutsideWorkspace);
    await workspace.remove('inside-link.ts');
    expect((await workspace.stat('src/main.ts')).kind).toBe('file');
    expect(await readFile(join(parent, 'secret.txt'), 'utf8')).toBe('secret');
  });

  it('follows a dangling link in a path to where it points: outside is refused, not taken for a missing folder', async () => {
    const { workspace, parent, root } = await setup();
    // A folder swapped for a link to a path that does not exist (here): a host path, seen from a Studio.
    await symlink(join(parent, 'not-here'), join(root, 'gone-dir'));
    await symlink(join(parent, 'not-here', 'file.txt'), join(root, 'gone-file.txt'));
    for (const path of ['gone-dir/new.txt', 'gone-dir/deeper/new.txt', 'gone-file.txt']) {
      expect(await codeOf(workspace.writableFile(path)), path).toBe(ErrorCode.PathOutsideWorkspace);
      expect(await codeOf(workspace.createFile(path)), path).toBe(ErrorCode.PathOutsideWorkspace);
      expect(await codeOf(workspace.documentFile(path)), path).toBe(ErrorCode.PathOutsideWorkspace);
    }
    // A dangling link whose target would be inside stays usable: writing through it creates the target.
    await symlink('later', join(root, 'later-link'));
    await write(workspace, 'later-link/note.txt', Buffer.from('note'));
    expect(await readFile(join(root, 'later', 'note.txt'), 'utf8')).toBe('note');
    // A link loop is a named refusal, not a raw ELOOP.
    await symlink('loop', join(root, 'loop'));
    expect(await codeOf(workspace.stat('loop/x'))).toBe(ErrorCode.PathOutsideWorkspace);
    expect(await codeOf(workspace.writableFile('loop/x'))).toBe(ErrorCode.PathOutsideWorkspace);
  });

  it('writes streams atomically and enforces the size cap', async () => {
    const { workspace, root } = await setup();
    const target = await workspace.writableFile('upload.bin');
    await writeFileAtomic(target, Readable.from([Buffer.alloc(10, 1), Buffer.alloc(10, 2)]));
    expect((await workspace.stat('upload.bin')).size).toBe(20);
    const tooBig = writeFileAtomic(target, Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), {
      maxBytes: 15,
    });
    await expect(tooBig).rejects.toBeInstanceOf(ContentTooLargeError);
    expect((await readFile(join(root, 'upload.bin')))[0]).toBe(1);
    expect((await readdir(root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
