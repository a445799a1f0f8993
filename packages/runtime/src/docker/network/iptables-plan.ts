import type { FamilyRules } from './firewall-rules';

/** The filter table as `iptables-save -t filter` printed it. */
export interface FilterTable {
  chains: ReadonlySet<string>;
  /** Each chain's rules in order, as printed after `-A <chain> `. */
  rules: ReadonlyMap<string, readonly string[]>;
}

/** The two chains Studios owns; nothing else is ever flushed or deleted. */
export interface OwnChains {
  input: string;
  egress: string;
}

/** `STUDIOS-INPUT`: upper case, digits and dashes, within iptables' 28-character limit. */
export function assertChainName(name: string): void {
  if (!/^[A-Z][A-Z0-9-]{0,27}$/.test(name) || ['INPUT', 'FORWARD', 'OUTPUT', 'DOCKER-USER'].includes(name)) {
    throw new Error(`"${name}" cannot be one of Studios' own chains`);
  }
}

export function parseFilterTable(save: string): FilterTable {
  const chains = new Set<string>();
  const rules = new Map<string, string[]>();
  let inFilter = false;
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) inFilter = line === '*filter';
    if (!inFilter) continue;
    const declared = /^:(\S+) /.exec(line);
    if (declared) chains.add(declared[1] as string);
    const appended = /^-A (\S+) (.*)$/.exec(line);
    if (appended) {
      const chain = appended[1] as string;
      rules.set(chain, [...(rules.get(chain) ?? []), appended[2] as string]);
    }
  }
  return { chains, rules };
}

/**
 * Docker filters forwarded traffic in DOCKER-USER before its own accept rules, and keeps that
 * chain first in FORWARD across restarts; a family Docker does not manage (IPv6 without
 * `ip6tables: true`) has no DOCKER-USER, and FORWARD itself is the place.
 */
export function egressHook(table: FilterTable): 'DOCKER-USER' | 'FORWARD' {
  return table.chains.has('DOCKER-USER') ? 'DOCKER-USER' : 'FORWARD';
}

const HOOKS = ['INPUT', 'FORWARD', 'DOCKER-USER'] as const;

function jumpCount(table: FilterTable, hook: string, chain: string): number {
  return (table.rules.get(hook) ?? []).filter((rule) => rule === `-j ${chain}`).length;
}

function sameRules(installed: readonly string[] | undefined, wanted: string[][]): boolean {
  const lines = wanted.map((rule) => rule.join(' '));
  return (installed ?? []).length === lines.length && lines.every((line, i) => installed?.[i] === line);
}

/** Whether our chains hold exactly `rules` and each is jumped to once, first in its hook. */
function inPlace(table: FilterTable, chains: OwnChains, rules: FamilyRules): boolean {
  const hook = egressHook(table);
  const wantedJumps = new Map([
    [`INPUT ${chains.input}`, 1],
    [`${hook} ${chains.egress}`, 1],
  ]);
  for (const candidate of HOOKS) {
    for (const chain of [chains.input, chains.egress]) {
      if (jumpCount(table, candidate, chain) !== (wantedJumps.get(`${candidate} ${chain}`) ?? 0))
        return false;
    }
  }
  return (
    table.chains.has(chains.input) &&
    table.chains.has(chains.egress) &&
    sameRules(table.rules.get(chains.input), rules.input) &&
    sameRules(table.rules.get(chains.egress), rules.egress) &&
    table.rules.get('INPUT')?.[0] === `-j ${chains.input}` &&
    table.rules.get(hook)?.[0] === `-j ${chains.egress}`
  );
}

/** `-D` lines for every plain jump to our chains, wherever it sits. */
function deleteJumps(table: FilterTable, chains: OwnChains): string[] {
  const lines: string[] = [];
  for (const hook of HOOKS) {
    for (const chain of [chains.input, chains.egress]) {
      for (let i = 0; i < jumpCount(table, hook, chain); i += 1) lines.push(`-D ${hook} -j ${chain}`);
    }
  }
  return lines;
}

/**
 * The `iptables-restore --noflush` input that makes `table` hold `rules`, or undefined when it
 * already does. One transaction: declaring a chain creates it or empties it, so there is no
 * moment with half a rule set; the jumps are deleted and inserted first in the same commit.
 */
export function planApply(table: FilterTable, chains: OwnChains, rules: FamilyRules): string | undefined {
  if (inPlace(table, chains, rules)) return undefined;
  const lines = [
    '*filter',
    `:${chains.input} - [0:0]`,
    `:${chains.egress} - [0:0]`,
    ...rules.input.map((rule) => `-A ${chains.input} ${rule.join(' ')}`),
    ...rules.egress.map((rule) => `-A ${chains.egress} ${rule.join(' ')}`),
    ...deleteJumps(table, chains),
    `-I INPUT 1 -j ${chains.input}`,
    `-I ${egressHook(table)} 1 -j ${chains.egress}`,
    'COMMIT',
  ];
  return `${lines.join('\n')}\n`;
}

/** The input that removes our jumps and chains, or undefined when none is left. */
export function planRemove(table: FilterTable, chains: OwnChains): string | undefined {
  const own = [chains.input, chains.egress].filter((chain) => table.chains.has(chain));
  const jumps = deleteJumps(table, chains);
  if (own.length === 0 && jumps.length === 0) return undefined;
  const lines = ['*filter', ...jumps, ...own.flatMap((chain) => [`-F ${chain}`, `-X ${chain}`]), 'COMMIT'];
  return `${lines.join('\n')}\n`;
}

/** Our chains' rules and the jumps to them, as `iptables-save` lines (for logs and tests). */
export function ownLines(table: FilterTable, chains: OwnChains): string[] {
  const lines: string[] = [];
  for (const hook of HOOKS) {
    for (const chain of [chains.input, chains.egress]) {
      for (let i = 0; i < jumpCount(table, hook, chain); i += 1) lines.push(`-A ${hook} -j ${chain}`);
    }
  }
  for (const chain of [chains.input, chains.egress]) {
    if (!table.chains.has(chain)) continue;
    lines.push(`-N ${chain}`, ...(table.rules.get(chain) ?? []).map((rule) => `-A ${chain} ${rule}`));
  }
  return lines;
}
