import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuDeltas, parseCgroupV2CpuSeconds, parseProcStatTicks, processProbe } from './cpu-probe';

describe('parseProcStatTicks', () => {
  it('adds utime and stime, counting fields after the command name', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 11 0 99 0 0';
    expect(parseProcStatTicks(stat)).toBe(1234 + 567);
  });

  it('reads this process', async () => {
    const ticks = parseProcStatTicks(readFileSync('/proc/self/stat', 'utf8'));
    expect(ticks).toBeGreaterThanOrEqual(0);
    expect(await processProbe('self', process.pid).read()).toBeGreaterThanOrEqual(0);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStatTicks('nonsense')).toThrow(/unreadable/);
  });
});

describe('parseCgroupV2CpuSeconds', () => {
  it('reads usage_usec', () => {
    expect(parseCgroupV2CpuSeconds('usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n')).toBe(2.5);
  });
});

describe('cpuDeltas', () => {
  it('subtracts per label', () => {
    const deltas = cpuDeltas(
      new Map([
        ['server', 1],
        ['dockerd', 2],
      ]),
      new Map([
        ['server', 3.5],
        ['dockerd', 2.25],
      ]),
    );
    expect(Object.fromEntries(deltas)).toEqual({ server: 2.5, dockerd: 0.25 });
  });
});
