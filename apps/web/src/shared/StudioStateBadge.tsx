import type { StudioRuntimeStatus } from '@studios/protocol';
import { Badge, type BadgeTone } from '../ui/Badge';

const LOOK: Record<StudioRuntimeStatus['state'], { tone: BadgeTone; label: string; pulse: boolean }> = {
  stopped: { tone: 'neutral', label: 'Stopped', pulse: false },
  starting: { tone: 'info', label: 'Starting', pulse: true },
  running: { tone: 'success', label: 'Running', pulse: false },
  stopping: { tone: 'warning', label: 'Stopping', pulse: true },
  error: { tone: 'danger', label: 'Error', pulse: false },
};

/** The Studio's lifecycle state; an error carries its message in the tooltip and for screen readers. */
export function StudioStateBadge({ status, testId }: { status: StudioRuntimeStatus; testId?: string }) {
  const look = LOOK[status.state];
  const detail = status.message ? `${look.label}: ${status.message}` : look.label;
  return (
    <Badge
      tone={look.tone}
      dot
      pulse={look.pulse}
      title={detail}
      aria-label={`Studio state: ${detail}`}
      data-testid={testId}
      data-state={status.state}
    >
      {look.label}
    </Badge>
  );
}
