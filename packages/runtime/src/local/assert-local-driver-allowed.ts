/** Host names and addresses that only the machine itself can reach. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** Whether `host` is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return LOOPBACK_HOSTS.has(bare.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Refuses to run the local driver on a server that others can reach: local Studios run as the
 * server's own user, so anyone who can open a terminal owns the machine. Call it at startup
 * with the address the server listens on.
 */
export function assertLocalDriverAllowed(options: { host: string; allowRemote: boolean }): void {
  if (options.allowRemote || isLoopbackHost(options.host)) return;
  throw new Error(
    `The local runtime runs processes as the server's own user; it only serves on 127.0.0.1/::1 ` +
      `unless STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE=1 (the server is configured to listen on ${options.host}).`,
  );
}
