import type { FileEntry } from '@studios/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { StudioEventBus } from '../../shared/event-bus';
import { applyFileChanges, type FileChange, sortEntries } from './file-tree';

/** The Studio's file tree: loaded over REST, then kept current from `files` events. */
export function useFileTree(studioId: string, events: StudioEventBus) {
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    setError(null);
    api.files
      .tree(studioId)
      .then((tree) => {
        setEntries(sortEntries(tree.entries));
        setTruncated(tree.truncated);
      })
      .catch((failure: unknown) => setError(failure));
  }, [studioId]);

  useEffect(() => {
    reload();
    return events.subscribe((event) => {
      if (event.type === 'files' && event.resync) reload();
      else if (event.type === 'files')
        setEntries((current) => (current ? applyFileChanges(current, event.changes) : current));
      // A (re)started Studio may have a different workspace view; resync once it runs.
      if (event.type === 'hello') reload();
    });
  }, [events, reload]);

  /** Applies a change we caused right away instead of waiting for the event echo. */
  const applyLocal = useCallback((changes: FileChange[]) => {
    setEntries((current) => (current ? applyFileChanges(current, changes) : current));
  }, []);

  return { entries, truncated, error, reload, applyLocal };
}
