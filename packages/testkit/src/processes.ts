import { readdirSync, readFileSync } from 'node:fs';

/**
 * Ids of this machine's processes whose command line contains every one of `parts` (Linux
 * /proc). For tests that must kill a process they did not start themselves, e.g. the agent a
 * runtime driver started for a Studio (found by its socket or workspace path).
 */
export function findProcesses(...parts: string[]): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // exited while we looked
    }
    if (parts.every((part) => commandLine.includes(part))) found.push(Number(name));
  }
  return found;
}
