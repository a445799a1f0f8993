import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineType } from '@studios/protocol';
import {
  DEFAULT_MACHINE_TYPES,
  DEFAULT_SUBNET_POOL,
  DEFAULT_SUBNET_POOL_CIDR,
  type EgressAllowance,
  MachineCatalog,
  parseEgressAllowances,
  parseSubnetPool,
  type SubnetPool,
} from '@studios/runtime';

/** Which runtime drives Studios: Docker when available (`auto`), or plain local processes. */
export type RuntimeChoice = 'auto' | 'docker' | 'local';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Everything the server reads from its environment, typed and defaulted. */
export interface Config {
  port: number;
  host: string;
  /** Absolute folder holding `studios.db` and each Studio's workspace. */
  dataDir: string;
  /**
   * The one Origin browsers may send on state-changing requests and socket upgrades. When unset,
   * the Origin must name the same host as the request's Host header.
   */
  publicOrigin: string | undefined;
  /**
   * Host names the server answers to besides loopback names, IP literals and the public
   * origin's host (DNS-rebinding defence); `*.example.com` matches subdomains.
   */
  allowedHosts: readonly string[];
  /** Absolute path of the built web app (`apps/web/dist`). */
  webDist: string;
  /** Largest JSON body accepted by default. */
  maxBodyBytes: number;
  logLevel: LogLevel;
  idleMinutes: number;
  /** A notebook kernel that ran nothing for this long is shut down; 0 never. */
  kernelIdleMinutes: number;
  runtime: RuntimeChoice;
  /** Lets the local (unsandboxed) runtime serve a non-loopback host; off by default. */
  allowLocalRuntimeRemote: boolean;
  /**
   * The unprivileged user the local runtime runs Studio processes as when the server is root
   * (`STUDIOS_LOCAL_USER`, default `studios`, created by scripts/setup/ensure-local-user.sh).
   * Unset when the server is not root: processes then run as the server's own user.
   */
  localUser: string | undefined;
  machineTypes: readonly MachineType[];
  /** Studio networks (Docker runtime): where their subnets come from, what they may reach. */
  studioNetwork: {
    pool: SubnetPool;
    /** Destinations in blocked ranges (private, link-local) that Studios may reach anyway. */
    egressAllow: readonly EgressAllowance[];
  };
  /**
   * Owner of files the server writes into workspaces: the Studio image's user (uid 1000), so a
   * terminal, git and SSH inside the Studio can change them. Unset when the server is not root
   * (it could not chown, and its files are then the local user's own).
   */
  workspaceOwner: { uid: number; gid: number } | undefined;
  /** The SSH gateway (Remote-SSH for VS Code, Cursor, ssh/sftp/scp). */
  ssh: SshConfig;
}

export interface SshConfig {
  /** Port the gateway listens on (`STUDIOS_SSH_PORT`, default 2222; 0 = any free port); null = off. */
  port: number | null;
  /** Address it binds (`STUDIOS_SSH_HOST`); defaults to the web server's HOST. */
  host: string;
  /**
   * The host name and port users' SSH clients dial, shown in the connect dialog and the CLI's
   * config block (`STUDIOS_SSH_PUBLIC_HOST`, `STUDIOS_SSH_PUBLIC_PORT`): behind NAT or a load
   * balancer they differ from what the gateway binds. Default: the public origin's host (else
   * HOST) and the bound port.
   */
  publicHost: string | undefined;
  publicPort: number | undefined;
}

/** uid and gid of the `studio` user in docker/base/Dockerfile. */
const STUDIO_IMAGE_UID = 1000;

/** The machine catalog (packages/runtime/src/machines/catalog.ts); the first entry is the default for new Studios. */
export { DEFAULT_MACHINE_TYPES };

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const RUNTIMES: readonly RuntimeChoice[] = ['auto', 'docker', 'local'];

/** Thrown for an environment value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  const match = allowed.find((value) => value === raw);
  if (!match) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return match;
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function origin(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an origin such as https://studios.example.com, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got "${raw}"`);
  }
  // URL.origin drops default ports, so https://x:443 and https://x compare equal later.
  return url.origin;
}

/** `studios.internal, *.studios.example.com`: lower-cased names, each optionally `*.`-prefixed. */
function hostNames(env: NodeJS.ProcessEnv, name: string): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) {
      throw new ConfigError(
        `${name} holds host names without scheme or port (studios.internal, *.studios.example.com), got "${entry}"`,
      );
    }
  }
  return entries;
}

function studioNetwork(env: NodeJS.ProcessEnv): Config['studioNetwork'] {
  const size = integer(env, 'STUDIOS_NETWORK_SUBNET_SIZE', DEFAULT_SUBNET_POOL.subnetPrefix, 8, 32);
  let pool: SubnetPool;
  try {
    pool = parseSubnetPool(env.STUDIOS_NETWORK_POOL?.trim() || DEFAULT_SUBNET_POOL_CIDR, size);
  } catch (error) {
    throw new ConfigError(`STUDIOS_NETWORK_POOL / STUDIOS_NETWORK_SUBNET_SIZE: ${(error as Error).message}`);
  }
  try {
    return { pool, egressAllow: parseEgressAllowances(env.STUDIOS_EGRESS_ALLOW ?? '') };
  } catch (error) {
    throw new ConfigError(`STUDIOS_EGRESS_ALLOW: ${(error as Error).message}`);
  }
}

/**
 * The operator's machine catalog: `STUDIOS_MACHINE_TYPES_FILE` names a JSON array of machine
 * types (validated: ids, limits, and only `studios/*` images), else the stock catalog.
 */
function machineTypes(env: NodeJS.ProcessEnv): readonly MachineType[] {
  const file = env.STUDIOS_MACHINE_TYPES_FILE?.trim();
  if (!file) return DEFAULT_MACHINE_TYPES;
  try {
    return MachineCatalog.fromJson(readFileSync(resolve(env.INIT_CWD ?? process.cwd(), file), 'utf8')).list();
  } catch (error) {
    throw new ConfigError(
      `STUDIOS_MACHINE_TYPES_FILE (${file}): ${error instanceof Error ? error.message : error}`,
    );
  }
}

function sshConfig(env: NodeJS.ProcessEnv, host: string): SshConfig {
  const raw = env.STUDIOS_SSH_PORT?.trim().toLowerCase();
  const off = raw === 'off' || raw === 'false' || raw === 'no';
  const publicHost = env.STUDIOS_SSH_PUBLIC_HOST?.trim();
  if (publicHost && !/^[A-Za-z0-9.:[\]-]+$/.test(publicHost)) {
    throw new ConfigError(`STUDIOS_SSH_PUBLIC_HOST must be a host name or address, got "${publicHost}"`);
  }
  const publicPort = env.STUDIOS_SSH_PUBLIC_PORT?.trim();
  return {
    port: off ? null : integer(env, 'STUDIOS_SSH_PORT', 2222, 0, 65535),
    host: env.STUDIOS_SSH_HOST?.trim() || host,
    publicHost: publicHost || undefined,
    publicPort: publicPort ? integer(env, 'STUDIOS_SSH_PUBLIC_PORT', 2222, 1, 65535) : undefined,
  };
}

/**
 * Reads the server configuration. This is the only place in the server that looks at the
 * environment; everything else receives a `Config`.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const host = env.HOST?.trim() || '127.0.0.1';
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host,
    // npm runs workspace scripts in the workspace folder; INIT_CWD is where the user typed
    // `npm start`, so `./.studios` means the folder they are in.
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), env.STUDIOS_DATA_DIR?.trim() || './.studios'),
    publicOrigin: origin(env, 'STUDIOS_PUBLIC_ORIGIN'),
    allowedHosts: hostNames(env, 'STUDIOS_ALLOWED_HOSTS'),
    webDist: resolve(env.STUDIOS_WEB_DIST?.trim() || resolve(REPO_ROOT, 'apps/web/dist')),
    maxBodyBytes: integer(env, 'STUDIOS_MAX_BODY_BYTES', 1024 * 1024, 1, 1024 * 1024 * 1024),
    logLevel: oneOf(env, 'STUDIOS_LOG_LEVEL', LOG_LEVELS, 'info'),
    idleMinutes: integer(env, 'STUDIOS_IDLE_MINUTES', 30, 0, 7 * 24 * 60),
    kernelIdleMinutes: integer(env, 'STUDIOS_KERNEL_IDLE_MINUTES', 60, 0, 7 * 24 * 60),
    runtime: oneOf(env, 'STUDIOS_RUNTIME', RUNTIMES, 'auto'),
    allowLocalRuntimeRemote: bool(env, 'STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE'),
    localUser: process.getuid?.() === 0 ? env.STUDIOS_LOCAL_USER?.trim() || 'studios' : undefined,
    machineTypes: machineTypes(env),
    studioNetwork: studioNetwork(env),
    workspaceOwner:
      process.getuid?.() === 0
        ? {
            uid: integer(env, 'STUDIOS_WORKSPACE_UID', STUDIO_IMAGE_UID, 0, 2 ** 31),
            gid: integer(env, 'STUDIOS_WORKSPACE_GID', STUDIO_IMAGE_UID, 0, 2 ** 31),
          }
        : undefined,
    ssh: sshConfig(env, host),
  };
}
