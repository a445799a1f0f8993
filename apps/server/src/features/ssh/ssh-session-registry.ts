import type { Clock, Disposable } from '@studios/base';
import type { SshSessionInfo } from '@studios/protocol';
import type { SshChannelKind } from '@studios/ssh-gateway';
import { isoTime } from '../../iso-time';
import type { StudioEventHub } from '../../services/event-hub';

interface LiveConnection {
  info: SshSessionInfo;
  close: (reason: string) => void;
  keyId: string;
}

/**
 * Who is connected to which Studio over SSH, for the presence list and for closing sessions
 * when access goes. Every change publishes the Studio's whole list as an `ssh-sessions` event,
 * at most once per event-loop turn (a VS Code connect opens a dozen channels at once).
 */
export class SshSessionRegistry {
  readonly #byStudio = new Map<string, Map<string, LiveConnection>>();
  readonly #pending = new Set<string>();
  readonly #events: StudioEventHub;
  readonly #clock: Clock;

  constructor(events: StudioEventHub, clock: Clock) {
    this.#events = events;
    this.#clock = clock;
  }

  list(studioId: string): SshSessionInfo[] {
    return [...(this.#byStudio.get(studioId)?.values() ?? [])].map((live) => structuredClone(live.info));
  }

  /** Registers a connection; dispose when it ends. */
  add(
    studioId: string,
    connection: { id: string; userId: string; name: string; client: string; keyId: string },
    close: (reason: string) => void,
  ): Disposable {
    let studio = this.#byStudio.get(studioId);
    if (!studio) {
      studio = new Map();
      this.#byStudio.set(studioId, studio);
    }
    studio.set(connection.id, {
      info: {
        id: connection.id,
        userId: connection.userId,
        name: connection.name,
        client: connection.client,
        connectedAt: isoTime(this.#clock.now()),
        channels: { shell: 0, exec: 0, sftp: 0, forward: 0 },
      },
      close,
      keyId: connection.keyId,
    });
    this.#changed(studioId);
    return {
      dispose: () => {
        const owner = this.#byStudio.get(studioId);
        if (!owner?.delete(connection.id)) return;
        if (owner.size === 0) this.#byStudio.delete(studioId);
        this.#changed(studioId);
      },
    };
  }

  /** Counts an open channel of a connection until the returned handle is disposed. */
  channelOpened(studioId: string, connectionId: string, kind: SshChannelKind): Disposable {
    const live = this.#byStudio.get(studioId)?.get(connectionId);
    if (!live) return { dispose: () => {} };
    live.info.channels[kind] += 1;
    this.#changed(studioId);
    let open = true;
    return {
      dispose: () => {
        if (!open) return;
        open = false;
        live.info.channels[kind] = Math.max(0, live.info.channels[kind] - 1);
        this.#changed(studioId);
      },
    };
  }

  /** Closes every connection that logged in with the key. */
  closeByKey(keyId: string, reason: string): void {
    for (const studio of [...this.#byStudio.values()]) {
      for (const live of [...studio.values()]) if (live.keyId === keyId) live.close(reason);
    }
  }

  /** Closes every connection to the Studio. */
  closeStudio(studioId: string, reason: string): void {
    for (const live of [...(this.#byStudio.get(studioId)?.values() ?? [])]) live.close(reason);
  }

  /** Closes everything (server shutdown). */
  closeAll(reason: string): void {
    for (const studioId of [...this.#byStudio.keys()]) this.closeStudio(studioId, reason);
  }

  #changed(studioId: string): void {
    if (this.#pending.has(studioId)) return;
    this.#pending.add(studioId);
    setImmediate(() => {
      this.#pending.delete(studioId);
      this.#events.publish(studioId, { type: 'ssh-sessions', sessions: this.list(studioId) });
    });
  }
}
