import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  AGENT_SOCKET_FILE,
  type AgentHostPaths,
  type AgentLaunch,
  type AgentProcess,
  agentCommand,
} from '../agent-launch';
import type { StudioSpec } from '../driver';

/** Output of an agent (errors only) kept per start, for the server's log. */
const MAX_AGENT_OUTPUT = 16 * 1024;

/**
 * The local runtime's agent: a child process rooted at the Studio's workspace folder, speaking
 * the same protocol over the same kind of socket as inside a container. It runs as the Studio
 * user (`wrap`: the configured unprivileged user when the server is root), with a minimal environment.
 */
export function startLocalAgent(
  paths: AgentHostPaths,
  spec: StudioSpec,
  launch: AgentLaunch,
  options: { onOutput: (text: string) => void; wrap: (command: string[]) => string[] },
): AgentProcess {
  const { onOutput } = options;
  const [file, ...args] = options.wrap(
    agentCommand({
      runtimeDir: paths.runtimeDir,
      socket: join(paths.socketDir(spec.studioId), AGENT_SOCKET_FILE),
      workspace: spec.workspaceDir,
    }),
  );
  const child = spawn(file as string, args, {
    cwd: spec.workspaceDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', STUDIOS_AGENT_TOKEN: launch.token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    if (output.length < MAX_AGENT_OUTPUT)
      output += chunk.toString('utf8', 0, MAX_AGENT_OUTPUT - output.length);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exit = new Promise<number>((resolve) => {
    child.once('error', (error) => {
      output += `cannot start the agent: ${error.message}`;
      resolve(-1);
    });
    child.once('exit', (code) => resolve(code ?? -1));
  }).then((code) => {
    if (output.trim()) onOutput(output.trim());
    return code;
  });
  return {
    where: 'studio',
    exit,
    dispose: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
