import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FamilyRules, IpFamily } from './firewall-rules';
import { type FirewallApplyResult, FirewallError, type HostFirewall } from './host-firewall';
import {
  assertChainName,
  type FilterTable,
  type OwnChains,
  ownLines,
  parseFilterTable,
  planApply,
  planRemove,
} from './iptables-plan';

/** Chains the server installs by default; `scripts/setup/studios-firewall.sh remove` deletes them. */
export const DEFAULT_CHAINS: OwnChains = { input: 'STUDIOS-INPUT', egress: 'STUDIOS-EGRESS' };

const COMMANDS: Record<IpFamily, { save: string; restore: string }> = {
  ipv4: { save: 'iptables-save', restore: 'iptables-restore' },
  ipv6: { save: 'ip6tables-save', restore: 'ip6tables-restore' },
};

/** Docker changes the same tables; `-w` waits for the xtables lock instead of failing. */
const LOCK_WAIT = ['-w', '5'];
const COMMAND_TIMEOUT_MS = 15_000;

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new FirewallError(
              'not-installed',
              `${command} is not installed (Debian: apt-get install iptables)`,
            )
          : new FirewallError('failed', `${command}: ${error.message}`),
      );
    });
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      const said = stderr.trim().split('\n').slice(0, 3).join(' ') || `exit code ${code}`;
      const denied = /permission denied|must be root|operation not permitted/i.test(stderr);
      reject(new FirewallError(denied ? 'not-permitted' : 'failed', `${command}: ${said}`));
    });
    child.stdin.on('error', () => {}); // The close handler reports why the command ended early.
    child.stdin.end(input ?? '');
  });
}

export interface IptablesFirewallOptions {
  /** Defaults to {@link DEFAULT_CHAINS}; tests use their own so they never touch the server's. */
  chains?: OwnChains;
}

/**
 * The real firewall: iptables (nf_tables backend on Debian 12, legacy works too) through
 * `iptables-save` to read and `iptables-restore --noflush` to change, so each change is one
 * transaction and chains that are not ours are never rewritten.
 */
export class IptablesFirewall implements HostFirewall {
  readonly chains: OwnChains;

  constructor(options: IptablesFirewallOptions = {}) {
    this.chains = options.chains ?? DEFAULT_CHAINS;
    assertChainName(this.chains.input);
    assertChainName(this.chains.egress);
  }

  async apply(rules: readonly FamilyRules[]): Promise<FirewallApplyResult> {
    let changed = false;
    const families: IpFamily[] = [];
    for (const familyRules of rules) {
      const table = await this.#read(familyRules.family);
      if (!table) continue;
      const plan = planApply(table, this.chains, familyRules);
      if (plan) {
        await run(COMMANDS[familyRules.family].restore, [...LOCK_WAIT, '--noflush'], plan);
        changed = true;
      }
      families.push(familyRules.family);
    }
    return { changed, families };
  }

  async remove(): Promise<void> {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const table = await this.#read(family);
      const plan = table && planRemove(table, this.chains);
      if (plan) await run(COMMANDS[family].restore, [...LOCK_WAIT, '--noflush'], plan);
    }
  }

  /** What is installed now: our chains' rules and the jumps to them, per family. */
  async installed(): Promise<Record<IpFamily, string[]>> {
    const result: Record<IpFamily, string[]> = { ipv4: [], ipv6: [] };
    for (const family of ['ipv4', 'ipv6'] as const) {
      const table = await this.#read(family);
      if (table) result[family] = ownLines(table, this.chains);
    }
    return result;
  }

  /** The filter table, or undefined for IPv6 on a kernel without it. */
  async #read(family: IpFamily): Promise<FilterTable | undefined> {
    if (family === 'ipv6' && !existsSync('/proc/net/if_inet6')) return undefined;
    return parseFilterTable(await run(COMMANDS[family].save, ['-t', 'filter']));
  }
}
