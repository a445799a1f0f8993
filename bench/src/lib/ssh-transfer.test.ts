import { describe, expect, it } from 'vitest';
import {
  describeCiphers,
  knownHostsLine,
  mbPerSecond,
  parseNegotiatedAlgorithms,
  perSecond,
  sftpBatch,
  smallFilePath,
  smallFileSizes,
} from './ssh-transfer';

describe('rates', () => {
  it('counts MB as 10^6 bytes', () => {
    expect(mbPerSecond(100_000_000, 2_000)).toBe(50);
    expect(perSecond(1_000, 500)).toBe(2_000);
  });

  it('has no rate for a zero duration', () => {
    expect(mbPerSecond(1, 0)).toBeNaN();
    expect(perSecond(1, 0)).toBeNaN();
  });
});

describe('smallFileSizes', () => {
  it('stays within 1–4 KB and repeats for a seed', () => {
    const sizes = smallFileSizes(1_000);
    expect(sizes).toHaveLength(1_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1024);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(smallFileSizes(1_000)).toEqual(sizes);
    expect(smallFileSizes(1_000, 10)).not.toEqual(sizes);
  });

  it('spreads over the range', () => {
    const sizes = smallFileSizes(1_000);
    const mean = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    expect(mean).toBeGreaterThan(2300);
    expect(mean).toBeLessThan(2820);
  });

  it('spreads the files over folders', () => {
    expect(smallFilePath(0)).toBe('d0/f0000.bin');
    expect(smallFilePath(123)).toBe('d3/f0123.bin');
  });
});

describe('sftpBatch', () => {
  it('quotes every path, one command a line', () => {
    expect(
      sftpBatch([
        ['put', '/tmp/a b', '/workspace/x"y'],
        ['get', '/workspace/x', '/tmp/back'],
      ]),
    ).toBe('put "/tmp/a b" "/workspace/x\\"y"\nget "/workspace/x" "/tmp/back"\n');
  });
});

describe('parseNegotiatedAlgorithms', () => {
  const verbose = [
    'debug1: SSH2_MSG_KEXINIT received',
    'debug1: kex: algorithm: curve25519-sha256',
    'debug1: kex: host key algorithm: ssh-ed25519',
    'debug1: kex: server->client cipher: chacha20-poly1305@openssh.com MAC: <implicit> compression: none',
    'debug1: kex: client->server cipher: chacha20-poly1305@openssh.com MAC: <implicit> compression: none',
  ].join('\r\n');

  it('reads what was agreed per direction', () => {
    expect(parseNegotiatedAlgorithms(verbose)).toEqual({
      kex: 'curve25519-sha256',
      clientToServer: { cipher: 'chacha20-poly1305@openssh.com', mac: '<implicit>' },
      serverToClient: { cipher: 'chacha20-poly1305@openssh.com', mac: '<implicit>' },
    });
    expect(describeCiphers(parseNegotiatedAlgorithms(verbose))).toBe('chacha20-poly1305@openssh.com');
  });

  it('names both directions when they differ, and MACs that are not implicit', () => {
    const mixed = parseNegotiatedAlgorithms(
      [
        'debug1: kex: server->client cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com compression: none',
        'debug1: kex: client->server cipher: aes128-gcm@openssh.com MAC: <implicit> compression: none',
      ].join('\n'),
    );
    expect(describeCiphers(mixed)).toBe(
      'aes128-gcm@openssh.com ↑ / aes128-ctr + hmac-sha2-256-etm@openssh.com ↓',
    );
  });

  it('says unknown without debug output', () => {
    expect(describeCiphers(parseNegotiatedAlgorithms('Connection closed'))).toBe('unknown');
  });
});

describe('knownHostsLine', () => {
  it('pins the key under the alias and drops the comment', () => {
    expect(knownHostsLine('peer', 'ssh-ed25519 AAAAC3Nza studio@host\n')).toBe('peer ssh-ed25519 AAAAC3Nza');
  });

  it('refuses a line that is not a key', () => {
    expect(() => knownHostsLine('peer', 'garbage')).toThrow(/not an OpenSSH public key/);
  });
});
