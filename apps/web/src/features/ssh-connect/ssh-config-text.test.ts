import { describe, expect, it } from 'vitest';
import {
  cliCommand,
  identityFileOf,
  sshCommand,
  suggestedIdentityFile,
  withIdentityFile,
} from './ssh-config-text';

const BLOCK = [
  'Host studios-reports',
  '  HostName studios.example',
  '  Port 2222',
  '  User s_123',
  '  IdentityFile ~/.ssh/id_ed25519',
  '  IdentitiesOnly yes',
  '  HostKeyAlias studios-gateway',
  '',
].join('\n');

describe('withIdentityFile', () => {
  it('rewrites only the IdentityFile line', () => {
    const out = withIdentityFile(BLOCK, '~/.ssh/work_key');
    expect(out).toBe(BLOCK.replace('~/.ssh/id_ed25519', '~/.ssh/work_key'));
  });

  it('quotes a path with spaces and keeps the keyword and separator as written', () => {
    expect(withIdentityFile('Host x\n\tidentityfile=~/a\n', 'C:\\Users\\Ada Lovelace\\.ssh\\id')).toBe(
      'Host x\n\tidentityfile="C:\\Users\\Ada Lovelace\\.ssh\\id"\n',
    );
    expect(withIdentityFile('Host x\n  IdentityFile "~/old key"', '~/new')).toBe(
      'Host x\n  IdentityFile ~/new',
    );
  });

  it('leaves the block alone for a blank path and never adds lines from a pasted newline', () => {
    expect(withIdentityFile(BLOCK, '   ')).toBe(BLOCK);
    const out = withIdentityFile(BLOCK, '~/.ssh/k\n  ProxyCommand evil');
    expect(out).not.toContain('ProxyCommand');
    expect(identityFileOf(out)).toBe('~/.ssh/k');
  });

  it('adds the line after the last option when the block has none', () => {
    expect(withIdentityFile('Host x\n    Port 2222\n\n', '~/.ssh/k')).toBe(
      'Host x\n    Port 2222\n    IdentityFile ~/.ssh/k\n\n',
    );
  });
});

describe('identityFileOf', () => {
  it('reads the path, unquoted', () => {
    expect(identityFileOf(BLOCK)).toBe('~/.ssh/id_ed25519');
    expect(identityFileOf('Host x\n  IdentityFile "~/my key"')).toBe('~/my key');
    expect(identityFileOf('Host x\n  Port 22')).toBeNull();
  });
});

describe('suggestedIdentityFile', () => {
  it("takes ssh-keygen's default file for the newest key's type", () => {
    const keys = [
      { algorithm: 'ssh-rsa' as const, createdAt: '2026-01-01T00:00:00Z' },
      { algorithm: 'ecdsa-sha2-nistp256' as const, createdAt: '2026-02-01T00:00:00Z' },
    ];
    expect(suggestedIdentityFile(keys, BLOCK)).toBe('~/.ssh/id_ecdsa');
  });

  it("falls back to the block's own path", () => {
    expect(suggestedIdentityFile([], BLOCK)).toBe('~/.ssh/id_ed25519');
    expect(suggestedIdentityFile([], 'Host x')).toBe('');
  });
});

describe('commands', () => {
  it('builds the ssh and CLI commands', () => {
    expect(sshCommand('studios-reports')).toBe('ssh studios-reports');
    expect(cliCommand('s_123')).toBe('npx studios ssh-config s_123');
  });
});
