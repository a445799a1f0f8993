import type { FamilyRules } from '../docker/network/firewall-rules';
import type { FirewallApplyResult, FirewallError, HostFirewall } from '../docker/network/host-firewall';

/**
 * A firewall that changes nothing and remembers what it was asked: for unit tests of the code
 * that decides when rules are applied, and for a Docker driver whose Studios must stay
 * unfirewalled (the "before" half of the isolation test).
 */
export class RecordingFirewall implements HostFirewall {
  readonly applied: Array<readonly FamilyRules[]> = [];
  removals = 0;
  /** When set, `apply` fails with it (e.g. a `not-permitted` FirewallError). */
  failWith: FirewallError | undefined;
  #installed: readonly FamilyRules[] | undefined;

  async apply(rules: readonly FamilyRules[]): Promise<FirewallApplyResult> {
    if (this.failWith) throw this.failWith;
    this.applied.push(rules);
    const changed = JSON.stringify(rules) !== JSON.stringify(this.#installed);
    this.#installed = rules;
    return { changed, families: rules.map((family) => family.family) };
  }

  async remove(): Promise<void> {
    this.removals += 1;
    this.#installed = undefined;
  }

  /** Forgets the installed rules, as a firewall reload would. */
  simulateReload(): void {
    this.#installed = undefined;
  }
}
