import { describe, expect, it } from 'vitest';
import { captureLog } from '../../testing/capture-log';
import { RecordingFirewall } from '../../testing/recording-firewall';
import { FirewallGuard } from './firewall-guard';
import { FirewallError } from './host-firewall';

function guardWith(firewall: RecordingFirewall) {
  const log = captureLog();
  const guard = new FirewallGuard({
    firewall,
    bridgePrefix: 'studios',
    allow: [],
    log: log.logger,
    readDnsServers: async () => [],
  });
  return { guard, log };
}

describe('FirewallGuard', () => {
  it('installs once, says so, and stays quiet while nothing changes', async () => {
    const firewall = new RecordingFirewall();
    const { guard, log } = guardWith(firewall);
    await Promise.all([guard.ensure(), guard.ensure()]);
    await guard.ensure();
    expect(firewall.applied.length).toBeGreaterThanOrEqual(1);
    expect(log.entries.map((entry) => `${entry.level} ${entry.message}`)).toEqual([
      'info Studio firewall installed',
    ]);
  });

  it('warns when it had to reinstall rules someone removed', async () => {
    const firewall = new RecordingFirewall();
    const { guard, log } = guardWith(firewall);
    await guard.ensure();
    firewall.simulateReload();
    await guard.ensure();
    expect(log.entries.at(-1)).toMatchObject({
      level: 'warn',
      message: expect.stringMatching(/reinstalled/),
    });
  });

  it('warns once, naming what is not enforced and how to fix it, when it may not change the firewall', async () => {
    const firewall = new RecordingFirewall();
    firewall.failWith = new FirewallError(
      'not-permitted',
      'iptables-restore: Permission denied (you must be root)',
    );
    const { guard, log } = guardWith(firewall);
    await guard.ensure();
    await guard.ensure();
    expect(log.entries).toHaveLength(1);
    const [warning] = log.entries;
    expect(warning?.level).toBe('warn');
    expect(warning?.message).toMatch(/NOT enforced/);
    expect(warning?.message).toMatch(/169\.254\.169\.254/);
    expect(warning?.message).toMatch(/as root/);
    expect(warning?.fields).toEqual({ error: 'iptables-restore: Permission denied (you must be root)' });

    firewall.failWith = undefined;
    await guard.ensure();
    expect(log.entries.at(-1)?.message).toBe('Studio firewall installed');
  });
});
