import { ErrorCode, type MachineType } from '@studios/protocol';
import type Docker from 'dockerode';
import type { AgentHostPaths } from '../agent-launch';
import type { RuntimeStatus, StudioSpec } from '../driver';
import { RuntimeError } from '../runtime-error';
import { type EngineInfo, readEngineInfo } from './connection';
import { buildContainerSpec } from './container-spec';
import { statusFromInspect } from './container-state';
import { imageMissingMessage, isNotFound, isNotModified, translateEngineError } from './engine-errors';
import { containerName, LABEL_STUDIO, networkName, snapshotRepository } from './names';
import type { StudioNetworks } from './network/studio-networks';

/** Seconds `docker stop` waits before SIGKILL; tini forwards SIGTERM so this is rarely reached. */
const STOP_TIMEOUT_S = 10;

/**
 * Create, start, stop and remove of one Studio's container and network, each idempotent.
 * Knows nothing about exec or events; the DockerDriver composes it.
 */
export class ContainerLifecycle {
  readonly #docker: Docker;
  readonly #networks: StudioNetworks;
  readonly #agent: AgentHostPaths;
  #engine: Promise<EngineInfo> | undefined;

  constructor(docker: Docker, networks: StudioNetworks, agent: AgentHostPaths) {
    this.#docker = docker;
    this.#networks = networks;
    this.#agent = agent;
  }

  /** The agent folders a container of `studioId` mounts. */
  agentFolders(studioId: string): { runtimeDir: string; socketDir: string } {
    return { runtimeDir: this.#agent.runtimeDir, socketDir: this.#agent.socketDir(studioId) };
  }

  /** Engine facts, read once (a failed read is retried next time). */
  engineInfo(): Promise<EngineInfo> {
    this.#engine ??= readEngineInfo(this.#docker).catch((error: unknown) => {
      this.#engine = undefined;
      throw translateEngineError(error, 'read the Docker engine information');
    });
    return this.#engine;
  }

  /** The Studio's container, or undefined when it has none. */
  async inspect(
    studioId: string,
    name = containerName(studioId),
  ): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.#docker.getContainer(name).inspect();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translateEngineError(error, 'read the Studio state');
    }
  }

  async inspectOrThrow(studioId: string): Promise<Docker.ContainerInspectInfo> {
    const info = await this.inspect(studioId);
    if (!info) {
      throw new RuntimeError(ErrorCode.NotFound, 'The Studio has no container on this host yet.');
    }
    return info;
  }

  async ensureImage(image: string): Promise<void> {
    try {
      await this.#docker.getImage(image).inspect();
    } catch (error) {
      if (isNotFound(error))
        throw new RuntimeError(ErrorCode.RuntimeError, imageMissingMessage(image), { cause: error });
      throw translateEngineError(error, 'check the Studio image', { image });
    }
  }

  /** The Studio's isolated network (see network/studio-networks.ts), created when missing. */
  ensureNetwork(studioId: string): Promise<string> {
    return this.#networks.ensure(studioId);
  }

  /** Creates the container (and its network) from the machine type's image unless it exists. */
  async ensure(spec: StudioSpec, machine: MachineType): Promise<void> {
    if (await this.inspect(spec.studioId)) return;
    // The network is needed anyway: prepare it while the image is checked.
    const network = this.ensureNetwork(spec.studioId);
    network.catch(() => {}); // Reported by create() below when the image check passes.
    await this.ensureImage(machine.image);
    await network;
    await this.create({ studioId: spec.studioId, workspaceDir: spec.workspaceDir, machine });
  }

  /** Creates a container; the caller has checked the image. */
  async create(input: {
    studioId: string;
    workspaceDir: string;
    machine: MachineType;
    name?: string;
    image?: string;
  }): Promise<Docker.Container> {
    const [network, { cpus }] = await Promise.all([this.ensureNetwork(input.studioId), this.engineInfo()]);
    const options = buildContainerSpec({
      studioId: input.studioId,
      name: input.name ?? containerName(input.studioId),
      workspaceDir: input.workspaceDir,
      machine: input.machine,
      network,
      hostCpus: cpus,
      agent: this.agentFolders(input.studioId),
      ...(input.image ? { image: input.image } : {}),
    });
    try {
      return await this.#docker.createContainer(options);
    } catch (error) {
      throw translateEngineError(error, 'create the Studio container', {
        image: options.Image ?? input.machine.image,
      });
    }
  }

  /**
   * Starts the container with one engine call (the container and its network exist in the
   * common case; a Studio's network is checked for isolation once per process); the inspect
   * happens only to explain a failure.
   */
  async start(studioId: string, name = containerName(studioId)): Promise<void> {
    await this.#networks.upgradeLegacy(studioId);
    try {
      await this.#docker.getContainer(name).start();
    } catch (error) {
      if (isNotModified(error)) return; // 304: already running.
      const info = await this.inspect(studioId, name);
      if (!info) throw new RuntimeError(ErrorCode.NotFound, 'The Studio has no container on this host yet.');
      throw translateEngineError(error, 'start the Studio', { image: info.Config.Image });
    }
  }

  async stop(studioId: string, name = containerName(studioId)): Promise<void> {
    try {
      await this.#docker.getContainer(name).stop({ t: STOP_TIMEOUT_S });
    } catch (error) {
      if (isNotModified(error) || isNotFound(error)) return;
      throw translateEngineError(error, 'stop the Studio');
    }
  }

  async removeContainer(name: string): Promise<void> {
    try {
      await this.#docker.getContainer(name).remove({ force: true });
    } catch (error) {
      // 409 "removal already in progress" is as good as done for an idempotent remove.
      const status = (error as { statusCode?: number }).statusCode;
      if (isNotFound(error) || status === 409) return;
      throw translateEngineError(error, 'remove the Studio container');
    }
  }

  /** Removes every container, snapshot image and the network of the Studio. */
  async remove(studioId: string): Promise<void> {
    const containers = await this.#docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_STUDIO}=${studioId}`] },
    });
    for (const container of containers) await this.removeContainer(container.Id);
    await this.removeSnapshots(studioId, new Set());
    try {
      await this.#docker.getNetwork(networkName(studioId)).remove();
    } catch (error) {
      if (!isNotFound(error)) throw translateEngineError(error, 'remove the Studio network');
    }
  }

  /** Snapshot image tags of the Studio, newest last. */
  async snapshots(studioId: string): Promise<Array<{ tag: string; number: number }>> {
    const repository = snapshotRepository(studioId);
    const images = await this.#docker.listImages({ filters: { reference: [repository] } });
    const tags = images
      .flatMap((image) => image.RepoTags ?? [])
      .filter((tag) => tag.startsWith(`${repository}:`));
    return tags
      .map((tag) => ({ tag, number: Number.parseInt(tag.slice(repository.length + 1), 10) }))
      .filter((snapshot) => Number.isFinite(snapshot.number))
      .sort((a, b) => a.number - b.number);
  }

  /** Untags every snapshot of the Studio except `keep`; layers a kept image still uses stay. */
  async removeSnapshots(studioId: string, keep: ReadonlySet<string>): Promise<void> {
    for (const { tag } of await this.snapshots(studioId)) {
      if (keep.has(tag)) continue;
      try {
        await this.#docker.getImage(tag).remove({ noprune: false });
      } catch (error) {
        // In use by a container that is still being removed, or gone already: the next switch retries.
        if (!isNotFound(error) && (error as { statusCode?: number }).statusCode !== 409) {
          throw translateEngineError(error, 'remove an old Studio snapshot');
        }
      }
    }
  }

  async status(studioId: string): Promise<RuntimeStatus> {
    const info = await this.inspect(studioId);
    return info ? statusFromInspect(info) : { state: 'stopped' };
  }

  /** Every Studio with a container here (a switch's temporary containers are not Studios of their own). */
  async list(): Promise<Array<{ studioId: string; status: RuntimeStatus }>> {
    let containers: Docker.ContainerInfo[];
    try {
      containers = await this.#docker.listContainers({ all: true, filters: { label: [LABEL_STUDIO] } });
    } catch (error) {
      throw translateEngineError(error, 'list Studios');
    }
    const result: Array<{ studioId: string; status: RuntimeStatus }> = [];
    for (const container of containers) {
      const studioId = container.Labels[LABEL_STUDIO];
      if (!studioId) continue;
      if (!container.Names.includes(`/${containerName(studioId)}`)) continue;
      const info = await this.inspect(studioId);
      if (info) result.push({ studioId, status: statusFromInspect(info) });
    }
    return result;
  }
}
