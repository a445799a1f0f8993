import type { Disposable } from '@studios/base';
import type { TerminalService } from '@studios/terminal';
import type { StudioEventHub } from '../../services/event-hub';

/**
 * Publishes a Studio's full terminal list (`terminals` event) after it changes. Changes in
 * one turn of the event loop go out once per Studio: closing a terminal detaches all of its
 * clients, and a fresh list per detach would only repeat itself.
 */
export function publishTerminalLists(service: TerminalService, events: StudioEventHub): Disposable {
  const changed = new Set<string>();
  let flush: NodeJS.Immediate | undefined;
  const subscription = service.onChange((studioId) => {
    changed.add(studioId);
    flush ??= setImmediate(() => {
      flush = undefined;
      const studioIds = [...changed];
      changed.clear();
      for (const id of studioIds) events.publish(id, { type: 'terminals', terminals: service.list(id) });
    });
  });
  return {
    dispose: () => {
      subscription.dispose();
      if (flush) clearImmediate(flush);
      flush = undefined;
      changed.clear();
    },
  };
}
