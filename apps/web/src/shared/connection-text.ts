import type { CollabStatus } from '../api/collab-socket';

/** What a live document's status bar says about its connection (the editor's and the notebook's). */
export function connectionText(closed: boolean, status: CollabStatus, synced: boolean): string {
  if (closed) return 'Closed';
  if (status === 'connected') return synced ? 'Connected' : 'Syncing…';
  if (status === 'connecting') return 'Connecting…';
  return 'Offline — reconnecting…';
}
