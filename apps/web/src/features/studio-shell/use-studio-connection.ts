import { CloseCode, type Studio, type StudioRuntimeStatus } from '@studios/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { connectStudioEvents } from '../../api/events-socket';
import type { SocketStatus } from '../../api/reconnecting-socket';
import { createEventBus } from '../../shared/event-bus';
import type { RuntimeProgress } from '../runtime';

/** Why the Studio can no longer be shown, in words, with what to do next. */
export interface StudioGone {
  title: string;
  message: string;
  /** 4401: the session ended and the user must log in again. */
  signedOut: boolean;
}

/** Maps a fatal events-socket close to what the user reads. */
export function goneForCloseCode(code: number | undefined): StudioGone | null {
  switch (code) {
    case CloseCode.Unauthorized:
      return { title: 'Your session has ended', message: 'Log in again to keep working.', signedOut: true };
    case CloseCode.Forbidden:
      return {
        title: 'You no longer have access to this Studio',
        message: 'The owner removed you or changed your access. Ask them to invite you again.',
        signedOut: false,
      };
    case CloseCode.NotFound:
    case CloseCode.Gone:
      return {
        title: 'This Studio no longer exists',
        message: 'It was deleted. Your other Studios are on the dashboard.',
        signedOut: false,
      };
    default:
      return null;
  }
}

/**
 * Loads a Studio, wakes it if it is asleep, and keeps it current from the events socket
 * (state, progress, role, name), fanning file and save events out on `events`.
 */
export function useStudioConnection(studioId: string, onError: (message: string) => void) {
  const [studio, setStudio] = useState<Studio | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [gone, setGone] = useState<StudioGone | null>(null);
  const [socketStatus, setSocketStatus] = useState<SocketStatus>('connecting');
  const [progress, setProgress] = useState<RuntimeProgress | null>(null);
  const events = useMemo(() => createEventBus(), []);

  const applyRuntime = useCallback((runtime: StudioRuntimeStatus) => {
    setStudio((current) =>
      current ? { ...current, runtime, machineType: runtime.machineType || current.machineType } : current,
    );
    if (runtime.state === 'running' || runtime.state === 'stopped' || runtime.state === 'error')
      setProgress(null);
  }, []);

  // Counts runtime events: an HTTP answer that an event overtook is older than what is shown.
  const runtimeEvents = useRef(0);

  /**
   * Applies the status an HTTP call (start, stop, machine switch) answers, unless a runtime event
   * arrived while it was in flight: a fast start (local runtime) publishes `running` before the
   * `starting` answer gets here, and applying the answer then would show `starting` for good.
   */
  const applyRuntimeAnswer = useCallback(
    async (answer: Promise<StudioRuntimeStatus>) => {
      const seen = runtimeEvents.current;
      const status = await answer;
      if (runtimeEvents.current === seen) applyRuntime(status);
    },
    [applyRuntime],
  );

  const start = useCallback(() => {
    applyRuntimeAnswer(api.studios.start(studioId)).catch((error: unknown) =>
      onError(`The Studio could not start: ${describeError(error)}`),
    );
  }, [studioId, applyRuntimeAnswer, onError]);

  useEffect(() => {
    let cancelled = false;
    api.studios
      .get(studioId)
      .then((loaded) => {
        if (cancelled) return;
        setStudio(loaded);
        // Wake on open: opening a sleeping Studio means you want to use it.
        if (loaded.runtime.state === 'stopped') start();
      })
      .catch((error: unknown) => !cancelled && setLoadError(error));
    return () => {
      cancelled = true;
    };
  }, [studioId, start]);

  useEffect(() => {
    const socket = connectStudioEvents(studioId, {
      onStatus(status, detail) {
        setSocketStatus(status);
        if (status === 'closed') {
          const reason = goneForCloseCode(detail.code);
          if (reason) setGone(reason);
        }
      },
      onEvent(event) {
        switch (event.type) {
          case 'hello':
          case 'role':
            setStudio((current) => (current ? { ...current, role: event.role } : current));
            break;
          case 'runtime':
            runtimeEvents.current += 1;
            applyRuntime(event.status);
            break;
          case 'progress':
            setProgress({
              operation: event.operation,
              message: event.message,
              ...(event.fraction === undefined ? {} : { fraction: event.fraction }),
            });
            break;
          case 'studio':
            setStudio((current) => (current ? { ...current, name: event.name } : current));
            break;
          default:
            break;
        }
        events.emit(event);
      },
    });
    return () => socket.close();
  }, [studioId, events, applyRuntime]);

  return {
    studio,
    setStudio,
    loadError,
    gone,
    socketStatus,
    progress,
    events,
    start,
    applyRuntime,
    applyRuntimeAnswer,
  };
}
