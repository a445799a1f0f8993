import { type Clock, type Disposable, systemClock } from '@studios/base';

export const DEFAULT_IDLE_MS = 30 * 60_000;
export const DEFAULT_IDLE_WARNING_MS = 60_000;

export interface IdleMonitorOptions {
  /** Stop a Studio after this long without activity. Default 30 minutes. */
  idleMs?: number;
  /** Warn this long before the stop. Default 60 s. */
  warnBeforeMs?: number;
  clock?: Clock;
  /** The Studio will be stopped at `stopAt` unless something happens first. */
  onWarn: (studioId: string, stopAt: Date) => void;
  /** Activity arrived after a warning: the stop is off (for now). */
  onWarningCancelled?: (studioId: string) => void;
  /** Time is up: stop the Studio. The monitor stops watching it. */
  onStop: (studioId: string) => void;
}

interface StudioActivity {
  watched: boolean;
  busy: Set<string>;
  lastActivity: number;
  warned: boolean;
  timer: Disposable | undefined;
}

/**
 * Idle sleep. Callers report activity per Studio: `touch` for events (terminal I/O, a save),
 * `setBusy` for states that keep a Studio awake while they last (a connected client, a busy
 * kernel). A watched Studio with no busy source and no touch for `idleMs` is stopped, with a
 * warning `warnBeforeMs` earlier. Touches only record a time; the single timer per Studio
 * re-checks when it fires, so keystrokes never churn timers.
 */
export class IdleMonitor {
  readonly #options: Required<Omit<IdleMonitorOptions, 'onWarningCancelled'>> &
    Pick<IdleMonitorOptions, 'onWarningCancelled'>;
  readonly #studios = new Map<string, StudioActivity>();

  constructor(options: IdleMonitorOptions) {
    this.#options = {
      idleMs: DEFAULT_IDLE_MS,
      warnBeforeMs: DEFAULT_IDLE_WARNING_MS,
      clock: systemClock,
      ...options,
    };
  }

  /** Starts the idle countdown for a running Studio (counts as activity). Idempotent. */
  watch(studioId: string): void {
    const studio = this.#studio(studioId);
    if (studio.watched) return;
    studio.watched = true;
    studio.lastActivity = this.#options.clock.now();
    this.#schedule(studioId, studio);
  }

  /** The Studio stopped: no countdown until it is watched again. Busy sources are kept. */
  unwatch(studioId: string): void {
    const studio = this.#studios.get(studioId);
    if (!studio) return;
    this.#clear(studio);
    studio.watched = false;
    studio.warned = false;
    if (studio.busy.size === 0) this.#studios.delete(studioId);
  }

  /** Something happened in the Studio just now. */
  touch(studioId: string, _source: string): void {
    const studio = this.#studios.get(studioId);
    if (!studio?.watched) return;
    studio.lastActivity = this.#options.clock.now();
    this.#cancelWarning(studioId, studio);
  }

  /** While any source of a Studio is busy, it never idles; the countdown restarts when the last ends. */
  setBusy(studioId: string, source: string, busy: boolean): void {
    const studio = this.#studio(studioId);
    const changed = busy ? !studio.busy.has(source) : studio.busy.has(source);
    if (!changed) return;
    if (busy) studio.busy.add(source);
    else studio.busy.delete(source);
    studio.lastActivity = this.#options.clock.now();
    if (!studio.watched) {
      if (studio.busy.size === 0) this.#studios.delete(studioId);
      return;
    }
    this.#cancelWarning(studioId, studio);
    this.#schedule(studioId, studio);
  }

  /** When the Studio will be stopped if nothing happens; undefined while busy or not watched. */
  stopAt(studioId: string): Date | undefined {
    const studio = this.#studios.get(studioId);
    if (!studio?.watched || studio.busy.size > 0) return undefined;
    return new Date(studio.lastActivity + this.#options.idleMs);
  }

  dispose(): void {
    for (const studio of this.#studios.values()) this.#clear(studio);
    this.#studios.clear();
  }

  #studio(studioId: string): StudioActivity {
    let studio = this.#studios.get(studioId);
    if (!studio) {
      studio = {
        watched: false,
        busy: new Set(),
        lastActivity: this.#options.clock.now(),
        warned: false,
        timer: undefined,
      };
      this.#studios.set(studioId, studio);
    }
    return studio;
  }

  #cancelWarning(studioId: string, studio: StudioActivity): void {
    if (!studio.warned) return;
    studio.warned = false;
    this.#schedule(studioId, studio);
    this.#options.onWarningCancelled?.(studioId);
  }

  #clear(studio: StudioActivity): void {
    studio.timer?.dispose();
    studio.timer = undefined;
  }

  /** Arms the one timer for the next thing due: the warning, or the stop once warned. */
  #schedule(studioId: string, studio: StudioActivity): void {
    this.#clear(studio);
    if (!studio.watched || studio.busy.size > 0) return;
    const { clock, idleMs, warnBeforeMs } = this.#options;
    const stopAt = studio.lastActivity + idleMs;
    const dueAt = studio.warned ? stopAt : stopAt - warnBeforeMs;
    studio.timer = clock.setTimeout(() => this.#due(studioId, studio), Math.max(0, dueAt - clock.now()));
  }

  #due(studioId: string, studio: StudioActivity): void {
    studio.timer = undefined;
    if (this.#studios.get(studioId) !== studio || !studio.watched || studio.busy.size > 0) return;
    const { clock, idleMs, warnBeforeMs } = this.#options;
    const stopAt = studio.lastActivity + idleMs;
    const now = clock.now();
    if (!studio.warned) {
      // Touched since the timer was armed: the warning is not due yet.
      if (now < stopAt - warnBeforeMs) {
        this.#schedule(studioId, studio);
        return;
      }
      studio.warned = true;
      this.#schedule(studioId, studio);
      this.#options.onWarn(studioId, new Date(stopAt));
      return;
    }
    if (now < stopAt) {
      this.#schedule(studioId, studio);
      return;
    }
    this.unwatch(studioId);
    this.#options.onStop(studioId);
  }
}
