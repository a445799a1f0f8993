import { useEffect } from 'react';
import type { StudioEventBus } from '../../shared/event-bus';
import { useToast } from '../../ui/Toast';

const TOAST_ID = 'idle-warning';
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel'] as const;

/**
 * On an `idle-warning` event, warns that the Studio is about to sleep and keeps it running
 * on the first sign of activity or a click on "Keep running".
 */
export function useIdleWarning(events: StudioEventBus, keepRunning: () => void): void {
  const toast = useToast();
  useEffect(() => {
    let armed = false;
    const onActivity = () => {
      if (!armed) return;
      disarm();
      toast.dismiss(TOAST_ID);
      keepRunning();
    };
    const disarm = () => {
      armed = false;
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, true);
    };
    const unsubscribe = events.subscribe((event) => {
      if (event.type === 'idle-warning') {
        toast.show({
          id: TOAST_ID,
          tone: 'warning',
          title: 'This Studio will sleep in 1 minute',
          message: 'Move your mouse or click Keep running to keep it awake.',
          durationMs: 0,
          action: { label: 'Keep running', onSelect: () => onActivity() },
        });
        if (!armed) {
          armed = true;
          // Let the pointer that is already moving not count instantly: arm on the next frame.
          window.setTimeout(() => {
            if (armed) for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, true);
          }, 250);
        }
      } else if (event.type === 'runtime' && event.status.state !== 'running') {
        disarm();
        toast.dismiss(TOAST_ID);
      }
    });
    return () => {
      unsubscribe();
      disarm();
    };
  }, [events, keepRunning, toast]);
}
