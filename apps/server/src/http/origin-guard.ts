/** The part of the configuration the Origin check needs. */
export interface OriginPolicy {
  /** The allowed origin, when the server sits behind a proxy with a known public URL. */
  publicOrigin: string | undefined;
}

function parseOrigin(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a browser request from `originHeader` may change state or open a socket. Shared by
 * the HTTP middleware and the WebSocket upgrade router so both apply the same rule.
 *
 * - No Origin header: allowed (curl and API clients; browsers always send one cross-site).
 * - With `publicOrigin` configured: the Origin must equal it.
 * - Otherwise: the Origin's host must equal the Host header, with default ports normalised
 *   (`https://x:443` matches Host `x`). `null` and non-http(s) origins are refused.
 */
export function isAllowedOrigin(
  originHeader: string | undefined,
  hostHeader: string | undefined,
  policy: OriginPolicy,
): boolean {
  if (originHeader === undefined) return true;
  const origin = parseOrigin(originHeader.trim());
  if (!origin) return false;
  if (policy.publicOrigin !== undefined) {
    const allowed = parseOrigin(policy.publicOrigin);
    return allowed !== undefined && allowed.origin === origin.origin;
  }
  if (!hostHeader) return false;
  // Read the Host header with the Origin's scheme so its default port drops out the same way.
  const host = parseOrigin(`${origin.protocol}//${hostHeader.trim()}`);
  return host !== undefined && host.host === origin.host && host.pathname === '/' && !host.username;
}

/** Methods that change state and therefore need an allowed Origin. */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
