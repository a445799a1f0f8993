import type { CellRun, KernelState } from '@studios/protocol';
import type { BadgeTone } from '../../ui/Badge';

/** "0.4 s", "12 s", "2 min 5 s", "1 h 3 min": how long a run took, or has taken so far. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.floor(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const isActive = (run: CellRun | null): boolean => run?.state === 'queued' || run?.state === 'running';

/** The prompt left of a code cell: `[*]` while queued or running, else `[n]` or `[ ]`. */
export function promptLabel(executionCount: number | null, run: CellRun | null): string {
  if (isActive(run)) return '[*]';
  const count = executionCount ?? run?.executionCount ?? null;
  return count === null ? '[ ]' : `[${count}]`;
}

const ENDED: Record<string, string> = {
  ok: 'ran by',
  error: 'failed · ran by',
  interrupted: 'interrupted · ran by',
  cancelled: 'cancelled · queued by',
};

/** The line under a cell: "ran by Ada · 3.2 s", "running · Ada · 1.4 s", "queued by Ada". */
export function runLine(run: CellRun | null, now: number): string | null {
  if (!run) return null;
  const since = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);
  switch (run.state) {
    case 'queued':
      return `queued by ${run.by.name}`;
    case 'running': {
      const started = since(run.startedAt);
      return Number.isNaN(started)
        ? `running · ${run.by.name}`
        : `running · ${run.by.name} · ${formatDuration(now - started)}`;
    }
    default: {
      const started = since(run.startedAt);
      const ended = since(run.endedAt);
      const took =
        Number.isNaN(started) || Number.isNaN(ended) ? '' : ` · ${formatDuration(ended - started)}`;
      return `${ENDED[run.state] ?? 'ran by'} ${run.by.name}${took}`;
    }
  }
}

/** Whether a cell's line needs a ticking clock. */
export const runNeedsTimer = (run: CellRun | null): boolean => run?.state === 'running';

export interface KernelStatusView {
  label: string;
  tone: BadgeTone;
  pulse: boolean;
  /** Start is offered (no kernel, or it died or failed). */
  canStart: boolean;
  /** Interrupt, restart and shutdown are offered. */
  hasKernel: boolean;
}

/** The toolbar's view of the kernel map (null before the server wrote anything: no kernel). */
export function kernelStatusView(state: KernelState | null): KernelStatusView {
  const status = state?.status ?? 'none';
  switch (status) {
    case 'idle':
      return { label: 'Idle', tone: 'success', pulse: false, canStart: false, hasKernel: true };
    case 'busy':
      return { label: 'Busy', tone: 'warning', pulse: true, canStart: false, hasKernel: true };
    case 'starting':
      return { label: 'Starting…', tone: 'info', pulse: true, canStart: false, hasKernel: true };
    case 'restarting':
      return { label: 'Restarting…', tone: 'info', pulse: true, canStart: false, hasKernel: true };
    case 'dead':
      return { label: 'Dead', tone: 'danger', pulse: false, canStart: true, hasKernel: false };
    case 'failed':
      return { label: 'Failed to start', tone: 'danger', pulse: false, canStart: true, hasKernel: false };
    default:
      return { label: 'No kernel', tone: 'neutral', pulse: false, canStart: true, hasKernel: false };
  }
}
