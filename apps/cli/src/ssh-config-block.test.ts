import { describe, expect, it } from 'vitest';
import { findBlock, mergeBlock, renderBlock, sshConfigValue, withIdentityFile } from './ssh-config-block';

const ALIAS = 'studios-demo-abc123';
const BLOCK =
  'Host studios-demo-abc123\n  HostName 127.0.0.1\n  Port 2222\n  IdentityFile ~/.ssh/id_ed25519\n';
const RENDERED = `# >>> studios ${ALIAS} >>>\n${BLOCK}# <<< studios ${ALIAS} <<<\n`;

describe('mergeBlock', () => {
  it('writes the block alone into an empty file', () => {
    expect(mergeBlock('', ALIAS, BLOCK)).toBe(RENDERED);
  });

  it('appends after a blank line, keeping the file before it byte for byte', () => {
    const existing = 'Host github.com\n  User git\n';
    expect(mergeBlock(existing, ALIAS, BLOCK)).toBe(`${existing}\n${RENDERED}`);
    expect(mergeBlock('Host a\n\n', ALIAS, BLOCK)).toBe(`Host a\n\n${RENDERED}`);
    // No final newline: the last line is ended, then a blank line.
    expect(mergeBlock('Host a\n  User b', ALIAS, BLOCK)).toBe(`Host a\n  User b\n\n${RENDERED}`);
  });

  it('replaces its own block in place and leaves everything around it alone', () => {
    const before = '# my settings\nHost a\n  User x   \n\n';
    const after = '\nHost *\n  ServerAliveInterval 60\n# trailing comment without newline';
    const old = `# >>> studios ${ALIAS} >>>\nHost studios-demo-abc123\n  Port 1\n# <<< studios ${ALIAS} <<<\n`;
    expect(mergeBlock(before + old + after, ALIAS, BLOCK)).toBe(before + RENDERED + after);
  });

  it('is idempotent', () => {
    const once = mergeBlock('Host a\n  User b\n', ALIAS, BLOCK);
    expect(mergeBlock(once, ALIAS, BLOCK)).toBe(once);
    expect(mergeBlock(mergeBlock(once, ALIAS, BLOCK), ALIAS, BLOCK)).toBe(once);
  });

  it("leaves other Studios' blocks alone", () => {
    const other = mergeBlock('', 'studios-other-def456', 'Host studios-other-def456\n  Port 9\n');
    const both = mergeBlock(other, ALIAS, BLOCK);
    expect(both).toBe(`${other}\n${RENDERED}`);
    const replaced = mergeBlock(both, ALIAS, BLOCK.replace('2222', '2223'));
    expect(replaced.startsWith(other)).toBe(true);
    expect(replaced).toContain('Port 2223');
    expect(replaced).not.toContain('Port 2222');
  });

  it("replaces the Studio's block under an older alias in place, and drops further copies", () => {
    const oldAlias = 'studios-old-name-abc123';
    const oldBody = 'Host studios-old-name-abc123\n  User abc123def\n';
    const other = renderBlock('studios-x-999', 'Host studios-x-999\n  User other\n', '\n');
    const existing = `Host a\n\n${renderBlock(oldAlias, oldBody, '\n')}\n${other}\n${renderBlock('studios-copy', oldBody, '\n')}`;
    const body = 'Host studios-demo-abc123\n  User abc123def\n';
    const merged = mergeBlock(existing, ALIAS, body, 'abc123def');
    expect(merged).toBe(`Host a\n\n${renderBlock(ALIAS, body, '\n')}\n${other}`);
    expect(mergeBlock(merged, ALIAS, body, 'abc123def')).toBe(merged);
    // Another Studio's id is not a prefix match.
    expect(mergeBlock(existing, ALIAS, body, 'abc123')).toBe(
      `${existing}\n${renderBlock(ALIAS, body, '\n')}`,
    );
  });

  it('keeps a CRLF file CRLF, and finds its block again', () => {
    const existing = 'Host a\r\n  User b\r\n';
    const merged = mergeBlock(existing, ALIAS, BLOCK);
    expect(merged).toBe(`${existing}\r\n${RENDERED.replace(/\n/g, '\r\n')}`);
    expect(merged.replace(/\r\n/g, '')).not.toContain('\n');
    expect(mergeBlock(merged, ALIAS, BLOCK)).toBe(merged);
    const updated = mergeBlock(merged, ALIAS, BLOCK.replace('2222', '2223'));
    expect(updated).toBe(merged.replace('2222', '2223'));
  });

  it('refuses a start marker without its end rather than guess where the block ends', () => {
    const broken = `Host a\n# >>> studios ${ALIAS} >>>\nHost x\n`;
    expect(() => mergeBlock(broken, ALIAS, BLOCK)).toThrow(/without '# <<< studios studios-demo-abc123 <<<'/);
  });

  it('does not take a marker of a longer alias for its own', () => {
    const longer = renderBlock(`${ALIAS}x`, 'Host y\n', '\n');
    expect(findBlock(longer, ALIAS)).toBeUndefined();
  });
});

describe('withIdentityFile', () => {
  it("replaces the server's placeholder, keeping the indent", () => {
    expect(withIdentityFile(BLOCK, '/home/ada/.ssh/id_ecdsa')).toBe(
      BLOCK.replace('~/.ssh/id_ed25519', '/home/ada/.ssh/id_ecdsa'),
    );
  });

  it('adds the line after Host when there is none, and keeps only one', () => {
    expect(withIdentityFile('Host x\n  Port 1\n', '/k')).toBe('Host x\n  IdentityFile /k\n  Port 1\n');
    expect(withIdentityFile('Host x\n  IdentityFile /a\n  identityfile=/b\n', '/k')).toBe(
      'Host x\n  IdentityFile /k\n',
    );
  });

  it('quotes paths with spaces and escapes ssh tokens', () => {
    expect(sshConfigValue('/home/ada/my keys/id')).toBe('"/home/ada/my keys/id"');
    expect(sshConfigValue('/home/100%/id')).toBe('/home/100%%/id');
  });
});
