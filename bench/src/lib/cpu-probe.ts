import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { docker } from './docker-cli';

const execFileAsync = promisify(execFile);

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A component whose CPU time the bench reads before and after a transfer. */
export interface CpuProbe {
  label: string;
  /** CPU seconds (user + system) used so far. */
  read(): Promise<number>;
}

/**
 * utime + stime in clock ticks from the text of /proc/<pid>/stat. The command name (field 2)
 * may hold spaces and parentheses, so the fields are counted from its closing parenthesis.
 */
export function parseProcStatTicks(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat: ${stat}`);
  return utime + stime;
}

/** `usage_usec` of a cgroup v2 cpu.stat, in seconds. */
export function parseCgroupV2CpuSeconds(cpuStat: string): number {
  const match = /^usage_usec (\d+)$/m.exec(cpuStat);
  if (!match?.[1]) throw new Error('cpu.stat has no usage_usec');
  return Number(match[1]) / 1e6;
}

/** One process's CPU time; 0 once it is gone (a short-lived helper ended between reads). */
export function processProbe(label: string, pid: number): CpuProbe {
  return {
    label,
    read: () =>
      readFile(`/proc/${pid}/stat`, 'utf8').then(
        (stat) => parseProcStatTicks(stat) / TICKS_PER_SECOND,
        () => 0,
      ),
  };
}

/** The summed CPU time of every process whose full command line matches `pattern` (`pgrep -f`). */
export function processesProbe(label: string, pattern: string): CpuProbe {
  return {
    label,
    async read() {
      const { stdout } = await execFileAsync('pgrep', ['-f', pattern]).catch(() => ({ stdout: '' }));
      const pids = stdout.split('\n').filter(Boolean).map(Number);
      const seconds = await Promise.all(pids.map((pid) => processProbe(label, pid).read()));
      return seconds.reduce((sum, value) => sum + value, 0);
    },
  };
}

/**
 * Everything a container ran (all its processes, live or ended), from its cgroup: cgroup v1's
 * cpuacct.usage, else cgroup v2's cpu.stat. Re-resolves the id on each read (a restart keeps it).
 */
export function containerProbe(label: string, container: string): CpuProbe {
  return {
    label,
    async read() {
      const id = (await docker('inspect', '-f', '{{.Id}}', container)).trim();
      const v1 = await readFile(`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, 'utf8').catch(
        () => undefined,
      );
      if (v1 !== undefined) return Number(v1.trim()) / 1e9;
      const v2 = await readFile(`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, 'utf8').catch(
        () => undefined,
      );
      return v2 === undefined ? Number.NaN : parseCgroupV2CpuSeconds(v2);
    },
  };
}

/** Reads every probe at once; `since` turns a later reading into deltas per label. */
export async function readProbes(probes: readonly CpuProbe[]): Promise<Map<string, number>> {
  const values = await Promise.all(probes.map((probe) => probe.read()));
  return new Map(probes.map((probe, index) => [probe.label, values[index] ?? Number.NaN]));
}

/** CPU seconds each probe used between two readings. */
export function cpuDeltas(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([label, value]) => [label, value - (before.get(label) ?? Number.NaN)]));
}
