import { describe, expect, it } from 'vitest';
import { contains, formatCidr, formatIpv4, overlaps, parseCidr, parseIpv4 } from './ipv4';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
};

describe('IPv4 addresses and blocks', () => {
  it('reads and writes dotted quads, refusing anything else', () => {
    expect(parseIpv4('10.213.0.1')).toBe(0x0ad50001);
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
    for (const bad of ['256.0.0.1', '10.0.0', '10.0.0.1.2', '0x7f.0.0.1', 'localhost', '::1', '']) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });

  it('reads blocks, a bare address as /32, and refuses host bits below the prefix', () => {
    expect(formatCidr(cidr('10.0.0.0/8'))).toBe('10.0.0.0/8');
    expect(formatCidr(cidr('192.168.1.7'))).toBe('192.168.1.7/32');
    expect(formatCidr(cidr('0.0.0.0/0'))).toBe('0.0.0.0/0');
    for (const bad of ['10.0.0.1/8', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/1', '10.0.0.0/x']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it('knows which blocks overlap and which address lies inside', () => {
    expect(overlaps(cidr('10.0.0.0/8'), cidr('10.213.4.16/28'))).toBe(true);
    expect(overlaps(cidr('10.213.4.16/28'), cidr('10.213.4.32/28'))).toBe(false);
    expect(overlaps(cidr('0.0.0.0/0'), cidr('203.0.113.9'))).toBe(true);
    expect(contains(cidr('169.254.0.0/16'), parseIpv4('169.254.169.254') as number)).toBe(true);
    expect(contains(cidr('172.16.0.0/12'), parseIpv4('172.32.0.1') as number)).toBe(false);
  });
});
