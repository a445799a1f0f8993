import { describe, expect, it } from 'vitest';
import { formatEgressAllowance, parseEgressAllowances } from './egress-allowance';

describe('egress allowances', () => {
  it('reads addresses, blocks and ports, and writes them back the same way', () => {
    const allowances = parseEgressAllowances(' 10.0.0.5:3128, 10.1.0.0/16 ,,192.168.7.7, 172.16.0.0/12:5432');
    expect(allowances.map(formatEgressAllowance)).toEqual([
      '10.0.0.5:3128',
      '10.1.0.0/16',
      '192.168.7.7',
      '172.16.0.0/12:5432',
    ]);
    expect(parseEgressAllowances('')).toEqual([]);
  });

  it('refuses names, IPv6, bad ports and sloppy blocks with a message that says what to write', () => {
    expect(() => parseEgressAllowances('pypi.internal:443')).toThrow(/IPv4 address or block.*names/);
    expect(() => parseEgressAllowances('[fd00::1]:443')).toThrow(/IPv4-only/);
    expect(() => parseEgressAllowances('fd00::/8')).toThrow(/IPv4-only/);
    expect(() => parseEgressAllowances('10.0.0.5:0')).toThrow(/port/);
    expect(() => parseEgressAllowances('10.0.0.5:70000')).toThrow(/port/);
    expect(() => parseEgressAllowances('10.0.0.5/8')).toThrow(/IPv4 address or block/);
  });
});
