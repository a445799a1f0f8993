/** Every page of the app; `matchRoute` maps a pathname to one of these. */
export type Route =
  | { name: 'login' }
  | { name: 'signup' }
  | { name: 'dashboard' }
  | { name: 'studio'; studioId: string }
  | { name: 'api-tokens' }
  | { name: 'ssh-keys' }
  | { name: 'not-found' };

/** Maps a pathname (no query) to a route; trailing slashes are ignored. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/' || path === '') return { name: 'dashboard' };
  if (path === '/login') return { name: 'login' };
  if (path === '/signup') return { name: 'signup' };
  if (path === '/settings/tokens') return { name: 'api-tokens' };
  if (path === '/settings/ssh-keys') return { name: 'ssh-keys' };
  const studio = /^\/studios\/([^/]+)$/.exec(path);
  if (studio?.[1]) {
    try {
      return { name: 'studio', studioId: decodeURIComponent(studio[1]) };
    } catch {
      return { name: 'not-found' };
    }
  }
  return { name: 'not-found' };
}

/** The URL of a route, the inverse of `matchRoute`. */
export function routePath(route: Route): string {
  switch (route.name) {
    case 'login':
      return '/login';
    case 'signup':
      return '/signup';
    case 'studio':
      return `/studios/${encodeURIComponent(route.studioId)}`;
    case 'api-tokens':
      return '/settings/tokens';
    case 'ssh-keys':
      return '/settings/ssh-keys';
    default:
      return '/';
  }
}

/**
 * Where to go after logging in. Only same-origin paths are allowed: `//evil.com` and `/\evil.com`
 * are treated by browsers as other hosts, so they fall back to the dashboard (open-redirect guard).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Browsers strip tabs and newlines from URLs, so `/\t/evil.com` would become `//evil.com`.
  if ([...next].some((char) => char.charCodeAt(0) < 0x20)) return '/';
  const route = matchRoute(next.split(/[?#]/)[0] ?? '/');
  return route.name === 'login' || route.name === 'signup' ? '/' : next;
}
