import type { Disposable } from '../../clock';
import type { RuntimeController } from './runtime-controller';

/**
 * What other features tell the runtime so idle sleep never stops a Studio someone is using:
 * open sockets (events, collab, terminals) keep it awake while connected; terminal I/O and
 * saves count as activity.
 */
export interface RuntimeActivity {
  /** Something happened in the Studio just now. */
  touch(studioId: string, source: string): void;
  /** A client is connected: the Studio stays awake until the returned handle is disposed. */
  connected(studioId: string, source: string): Disposable;
  /** A long-lived state that keeps the Studio awake (e.g. a busy kernel). */
  setBusy(studioId: string, source: string, busy: boolean): void;
}

export function createRuntimeActivity(controller: RuntimeController): RuntimeActivity {
  let nextConnection = 0;
  return {
    touch: (studioId, source) => controller.idle?.touch(studioId, source),
    setBusy: (studioId, source, busy) => controller.idle?.setBusy(studioId, source, busy),
    connected(studioId, source) {
      const key = `${source}#${++nextConnection}`;
      controller.idle?.setBusy(studioId, key, true);
      let open = true;
      return {
        dispose: () => {
          if (!open) return;
          open = false;
          controller.idle?.setBusy(studioId, key, false);
        },
      };
    },
  };
}
