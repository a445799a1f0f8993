/** Per-connection limits: what one client may hold, so a hostile one affects only itself. */
export const GATEWAY_LIMITS = {
  /** Failed login attempts before the connection is dropped (sshd's MaxAuthTries). */
  maxAuthFailures: 6,
  /** Time from TCP connect to a successful login (sshd's LoginGraceTime is 120 s). */
  loginGraceMs: 60_000,
  /** Channels (sessions and forwards) open at once on one connection. */
  maxChannels: 64,
  /** Environment variables one session may send, and the longest value. */
  maxEnvVars: 64,
  maxEnvValueBytes: 4096,
  /** Server-side keepalive: probe a silent client this often, drop it after this many misses. */
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 4,
  /** How often one channel's traffic is reported as activity. */
  activityIntervalMs: 1_000,
  /** After `control.close`, how long the peer gets to read the goodbye before the socket is cut. */
  closeGraceMs: 500,
} as const;
