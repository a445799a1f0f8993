import type { Disposable } from '@studios/base';

/**
 * How a driver starts a Studio's agent (the in-Studio process behind files, ports and, later,
 * kernels). The server prepares one host folder with Node and the agent bundle (the "agent
 * runtime") and one socket folder per Studio, in which it listens; the driver makes both appear
 * inside the Studio, read-only, and starts the agent there as the Studio user.
 */
export interface AgentHostPaths {
  /** Host folder holding {@link AGENT_NODE_FILE} and {@link AGENT_BUNDLE_FILE}. */
  runtimeDir: string;
  /** Host folder of a Studio's agent socket ({@link AGENT_SOCKET_FILE}); owned by the server. */
  socketDir(studioId: string): string;
}

/** File names inside the agent runtime folder. */
export const AGENT_NODE_FILE = 'node';
export const AGENT_BUNDLE_FILE = 'studios-agent.mjs';
/** The server's listening socket inside a Studio's socket folder. */
export const AGENT_SOCKET_FILE = 'agent.sock';

/** Where a container sees the agent runtime and its socket folder (both mounted read-only). */
export const AGENT_RUNTIME_MOUNT = '/opt/studios';
export const AGENT_SOCKET_MOUNT = '/run/studios';

/** What one start of an agent needs. */
export interface AgentLaunch {
  /** Secret the agent presents in its hello, proving which start it is (environment, never argv). */
  token: string;
}

/** A running agent process. `dispose()` ends it (and removes a sandbox). */
export interface AgentProcess extends Disposable {
  /**
   * `studio`: inside the running Studio. `sandbox`: the Studio is stopped, so the agent runs in a
   * files-only container on its workspace (no network, no GPU, small limits).
   */
  readonly where: 'studio' | 'sandbox';
  /** Resolves with the exit code once the process has ended (-1 when unknowable). */
  readonly exit: Promise<number>;
}

/** The agent's command line, given where Node, the bundle, the socket and the workspace are. */
export function agentCommand(paths: { runtimeDir: string; socket: string; workspace: string }): string[] {
  return [
    `${paths.runtimeDir}/${AGENT_NODE_FILE}`,
    // The agent streams files through fixed-size buffers: a small heap is plenty and keeps a
    // runaway agent from eating the Studio's memory.
    '--max-old-space-size=256',
    `${paths.runtimeDir}/${AGENT_BUNDLE_FILE}`,
    '--connect',
    paths.socket,
    '--root',
    paths.workspace,
  ];
}
