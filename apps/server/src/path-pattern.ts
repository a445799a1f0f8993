/** A compiled `/api/studios/:studioId/collab/:doc` pattern. */
export type PathMatcher = (pathname: string) => Record<string, string> | undefined;

/**
 * Compiles a path pattern with `:name` segments (each matching one non-empty segment).
 * Returns undefined from the matcher for a non-match or for a segment that is not valid
 * percent-encoding.
 */
export function compilePathPattern(pattern: string): PathMatcher {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const regex = new RegExp(`^${source}/?$`);
  return (pathname) => {
    const match = regex.exec(pathname);
    if (!match) return undefined;
    const params: Record<string, string> = {};
    try {
      names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] as string);
      });
    } catch {
      return undefined;
    }
    return params;
  };
}
