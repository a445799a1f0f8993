import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { installKnownHost, installSshConfigBlock } from './ssh-files';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;
const BLOCK = 'Host studios-a-123\n  Port 2222\n';
const LINE = 'studios-h ssh-ed25519 AAAAkey';

describe('ssh files', () => {
  it('creates ~/.ssh 0700 and its files 0600, and does not rewrite an unchanged config', () => {
    const home = dirs.make();
    const written = installSshConfigBlock(home, 'studios-a-123', BLOCK);
    expect(written).toEqual({ path: join(home, '.ssh', 'config'), changed: true });
    expect(mode(join(home, '.ssh'))).toBe(0o700);
    expect(mode(written.path)).toBe(0o600);
    const inode = statSync(written.path).ino;
    expect(installSshConfigBlock(home, 'studios-a-123', BLOCK).changed).toBe(false);
    expect(statSync(written.path).ino).toBe(inode);
    expect(installKnownHost(home, LINE).result.status).toBe('added');
    expect(mode(join(home, '.ssh', 'known_hosts'))).toBe(0o600);
    expect(installKnownHost(home, LINE).result.status).toBe('present');
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8')).toBe(`${LINE}\n`);
  });

  it("keeps an existing file's mode and writes through a symlinked config", () => {
    const home = dirs.make();
    const dotfiles = dirs.make();
    mkdirSync(join(home, '.ssh'), { mode: 0o755 });
    writeFileSync(join(dotfiles, 'ssh_config'), 'Host a\n', { mode: 0o644 });
    symlinkSync(join(dotfiles, 'ssh_config'), join(home, '.ssh', 'config'));
    installSshConfigBlock(home, 'studios-a-123', BLOCK);
    expect(lstatSync(join(home, '.ssh', 'config')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(home, '.ssh', 'config'))).toBe(join(dotfiles, 'ssh_config'));
    expect(readFileSync(join(dotfiles, 'ssh_config'), 'utf8')).toMatch(/^Host a\n\n# >>> studios/);
    expect(mode(join(dotfiles, 'ssh_config'))).toBe(0o644);
    // An existing ~/.ssh is the user's: its mode is left as it is.
    expect(mode(join(home, '.ssh'))).toBe(0o755);
  });
});
