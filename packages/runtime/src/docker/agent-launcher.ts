import { ErrorCode } from '@studios/protocol';
import type Docker from 'dockerode';
import {
  AGENT_RUNTIME_MOUNT,
  AGENT_SOCKET_FILE,
  AGENT_SOCKET_MOUNT,
  type AgentLaunch,
  type AgentProcess,
  agentCommand,
} from '../agent-launch';
import type { StudioSpec } from '../driver';
import { RuntimeError } from '../runtime-error';
import { buildSandboxSpec, hasAgentMounts, WORKSPACE_PATH } from './container-spec';
import { isNotFound, translateEngineError } from './engine-errors';
import { startExec } from './exec-session';
import type { ContainerLifecycle } from './lifecycle';
import { containerName, sandboxName } from './names';

/** The agent's command line as a container sees it. */
const IN_CONTAINER_COMMAND = agentCommand({
  runtimeDir: AGENT_RUNTIME_MOUNT,
  socket: `${AGENT_SOCKET_MOUNT}/${AGENT_SOCKET_FILE}`,
  workspace: WORKSPACE_PATH,
});

/** What the agent prints (errors only) is kept up to this much per start, for the server's log. */
const MAX_AGENT_OUTPUT = 16 * 1024;

/**
 * Starts a Studio's agent: an exec as the Studio user in the running Studio, or, when it is
 * stopped, a files-only sandbox container whose only process is the agent.
 */
export class DockerAgentLauncher {
  readonly #docker: Docker;
  readonly #lifecycle: ContainerLifecycle;
  readonly #onOutput: (studioId: string, text: string) => void;

  constructor(
    docker: Docker,
    lifecycle: ContainerLifecycle,
    onOutput: (studioId: string, text: string) => void,
  ) {
    this.#docker = docker;
    this.#lifecycle = lifecycle;
    this.#onOutput = onOutput;
  }

  async start(spec: StudioSpec, launch: AgentLaunch): Promise<AgentProcess> {
    const info = await this.#lifecycle.inspect(spec.studioId);
    if (info?.State.Running && hasAgentMounts(info.Mounts)) return this.#inStudio(spec.studioId, launch);
    return this.#inSandbox(spec, launch);
  }

  async #inStudio(studioId: string, launch: AgentLaunch): Promise<AgentProcess> {
    const session = await startExec(this.#docker.getContainer(containerName(studioId)), {
      cmd: IN_CONTAINER_COMMAND,
      tty: false,
      env: { STUDIOS_AGENT_TOKEN: launch.token },
    });
    const output = new CappedText(MAX_AGENT_OUTPUT);
    session.onData((chunk) => output.add(chunk));
    session.onStderr((chunk) => output.add(chunk));
    const exit = session.exit.then((code) => {
      if (output.text) this.#onOutput(studioId, output.text);
      return code;
    });
    return { where: 'studio', exit, dispose: () => session.dispose() };
  }

  async #inSandbox(spec: StudioSpec, launch: AgentLaunch): Promise<AgentProcess> {
    const name = sandboxName(spec.studioId);
    // A sandbox left by a previous start (or a previous server) is replaced.
    await this.#lifecycle.removeContainer(name);
    await this.#lifecycle.ensureImage(spec.machine.image);
    let container: Docker.Container;
    try {
      container = await this.#docker.createContainer(
        buildSandboxSpec({
          studioId: spec.studioId,
          name,
          image: spec.machine.image,
          workspaceDir: spec.workspaceDir,
          agent: this.#lifecycle.agentFolders(spec.studioId),
          token: launch.token,
        }),
      );
    } catch (error) {
      throw translateEngineError(error, "open the stopped Studio's files", { image: spec.machine.image });
    }
    // Waiting starts before the container does, so even an instant exit is seen.
    const exit = container.wait({ condition: 'next-exit' }).then(
      (result: { StatusCode?: number }) => result.StatusCode ?? -1,
      () => -1,
    );
    try {
      await container.start();
    } catch (error) {
      await this.#lifecycle.removeContainer(name);
      throw new RuntimeError(
        ErrorCode.RuntimeError,
        "The Studio's files could not be opened while it is stopped.",
        {
          cause: translateEngineError(error, 'start the files-only sandbox'),
        },
      );
    }
    return {
      where: 'sandbox',
      exit,
      dispose: () => {
        void container.remove({ force: true }).catch((error: unknown) => {
          if (!isNotFound(error)) this.#onOutput(spec.studioId, `sandbox removal failed: ${String(error)}`);
        });
      },
    };
  }
}

/** The first `max` bytes of a process's output, as text. */
class CappedText {
  #text = '';
  constructor(readonly max: number) {}

  add(chunk: Buffer): void {
    if (this.#text.length < this.max) this.#text += chunk.toString('utf8', 0, this.max - this.#text.length);
  }

  get text(): string {
    return this.#text.trim();
  }
}
