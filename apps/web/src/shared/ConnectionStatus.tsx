import type { CollabStatus } from '../api/collab-socket';
import { connectionText } from './connection-text';

/** The start of a live document's status line: a coloured dot and what the connection is doing. */
export function ConnectionStatus(props: { closed: boolean; status: CollabStatus; synced: boolean }) {
  return (
    <>
      <span
        className={`status-line__dot status-line__dot--${props.closed ? 'closed' : props.status}`}
        aria-hidden="true"
      />
      <span data-testid="connection-state">{connectionText(props.closed, props.status, props.synced)}</span>
    </>
  );
}
