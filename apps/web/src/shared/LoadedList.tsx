import type { ReactNode } from 'react';
import { describeError } from '../api/api-error';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { Spinner } from '../ui/Spinner';

/**
 * The four states of a list the page loads from the API: the load failed (with Try again), it is
 * loading, it is empty (the page's own empty state), or the list itself. `what` names the list
 * in messages: "your SSH keys".
 */
export function LoadedList<T>({
  items,
  error,
  onRetry,
  what,
  empty,
  children,
}: {
  items: readonly T[] | null;
  error: unknown;
  onRetry(): void;
  what: string;
  empty: ReactNode;
  children(items: readonly T[]): ReactNode;
}) {
  if (error) {
    return (
      <EmptyState
        title={`${what.charAt(0).toUpperCase()}${what.slice(1)} could not be loaded`}
        action={<Button onClick={onRetry}>Try again</Button>}
      >
        {describeError(error)}
      </EmptyState>
    );
  }
  if (items === null) {
    return (
      <div className="loaded-list__loading">
        <Spinner size="lg" label={`Loading ${what}`} />
      </div>
    );
  }
  return items.length === 0 ? empty : children(items);
}
