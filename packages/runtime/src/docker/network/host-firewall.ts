import type { FamilyRules, IpFamily } from './firewall-rules';

/** What an `apply` did. */
export interface FirewallApplyResult {
  /** False when every rule and jump was already in place. */
  changed: boolean;
  /** Families whose rules are in force (IPv6 is left out on a host without it). */
  families: IpFamily[];
}

/** Why the firewall could not be changed, in words for the server's log. */
export type FirewallFailure = 'not-installed' | 'not-permitted' | 'failed';

/** A firewall operation that failed; `reason` says whether an operator can fix it. */
export class FirewallError extends Error {
  override name = 'FirewallError';
  constructor(
    readonly reason: FirewallFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The host packet filter around Studio networks, behind one small interface (house rule 5):
 * `IptablesFirewall` is the real one; tests of code that only needs "rules were asked for"
 * use the recording one in `src/testing/`.
 */
export interface HostFirewall {
  /**
   * Makes the installed rules equal `rules`: creates or refills its own chains and puts the
   * jumps to them first in their hook chains. Idempotent; repairs a jump someone removed.
   */
  apply(rules: readonly FamilyRules[]): Promise<FirewallApplyResult>;
  /** Removes its chains and every jump to them, leaving other chains as they were. */
  remove(): Promise<void>;
}
