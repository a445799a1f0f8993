import type { SshSessionInfo } from '@studios/protocol';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { api } from '../../api/client';
import type { StudioEventBus } from '../../shared/event-bus';
import { SshSessionFeed } from './ssh-session-feed';

/**
 * Who is connected to the Studio over SSH: the list the server answers, then each
 * `ssh-sessions` event. Asks again whenever the events socket (re)connects (`hello`), since
 * events sent while it was down are lost.
 */
export function useSshSessions(studioId: string, events: StudioEventBus): readonly SshSessionInfo[] {
  const [feed] = useState(() => new SshSessionFeed());

  useEffect(() => {
    let active = true;
    const load = () => {
      const asked = feed.ask();
      api.ssh
        .sessions(studioId)
        .then((list) => active && feed.answer(asked, list.sessions))
        // Presence is a courtesy: without it the page still works, so a failure stays quiet.
        .catch((error: unknown) => console.warn('Could not load SSH sessions', error));
    };
    load();
    const unsubscribe = events.subscribe((event) => {
      if (event.type === 'ssh-sessions') feed.push(event.sessions);
      else if (event.type === 'hello') load();
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }, [studioId, events, feed]);

  return useSyncExternalStore(feed.subscribe, feed.getSnapshot);
}
