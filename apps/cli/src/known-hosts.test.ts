import { describe, expect, it } from 'vitest';
import { addKnownHost } from './known-hosts';

const LINE = 'studios-example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey';

describe('addKnownHost', () => {
  it('adds the line to an empty or missing file', () => {
    expect(addKnownHost('', LINE)).toEqual({ status: 'added', text: `${LINE}\n` });
  });

  it('appends after the existing entries, ending an unterminated last line first', () => {
    const other = 'github.com ssh-ed25519 AAAAother';
    expect(addKnownHost(`${other}\n`, LINE)).toEqual({ status: 'added', text: `${other}\n${LINE}\n` });
    expect(addKnownHost(other, LINE)).toEqual({ status: 'added', text: `${other}\n${LINE}\n` });
    expect(addKnownHost(`${other}\r\n`, LINE)).toEqual({ status: 'added', text: `${other}\r\n${LINE}\r\n` });
  });

  it('never adds the line twice', () => {
    const once = addKnownHost('', LINE);
    if (once.status !== 'added') throw new Error('expected added');
    expect(addKnownHost(once.text, LINE)).toEqual({ status: 'present' });
  });

  it('counts an entry with the same key as present, whatever its comment, spacing or other names', () => {
    const [host, type, key] = LINE.split(' ');
    expect(addKnownHost(`other,${host}\t${type}  ${key} a comment\r\n`, LINE)).toEqual({ status: 'present' });
  });

  it('reports a different key of the same type for the host instead of adding a second one', () => {
    expect(addKnownHost('studios-example.com ssh-ed25519 AAAAold\n', LINE)).toEqual({
      status: 'conflict',
      host: 'studios-example.com',
    });
  });

  it('ignores comments, markers and keys of other types or hosts', () => {
    const existing = [
      '# studios-example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey',
      '@revoked studios-example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey',
      'studios-example.com ecdsa-sha2-nistp256 AAAAecdsa',
      'studios-example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey',
      '',
    ].join('\n');
    expect(addKnownHost(existing, LINE)).toEqual({ status: 'added', text: `${existing}${LINE}\n` });
  });
});
