import { useSyncExternalStore } from 'react';
import { matchRoute, type Route } from './routes';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function currentLocation(): string {
  return window.location.pathname + window.location.search;
}

/** Goes to `path` with the History API (no reload). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentLocation()) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

/** The current route, re-rendering on navigation and back/forward. */
export function useRoute(): { route: Route; search: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, currentLocation);
  const [pathname = '/', query = ''] = location.split('?');
  return { route: matchRoute(pathname), search: new URLSearchParams(query) };
}
