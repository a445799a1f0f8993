import { lchown } from 'node:fs/promises';
import {
  type Clock,
  type Disposable,
  ListenerSet,
  type Logger,
  silentLogger,
  systemClock,
} from '@studios/base';
import { ErrorCode, type MachineType } from '@studios/protocol';
import type Docker from 'dockerode';
import type { AgentHostPaths, AgentLaunch, AgentProcess } from '../agent-launch';
import type {
  ExecOptions,
  ExecSession,
  Progress,
  RuntimeDriver,
  RuntimeEvent,
  RuntimeStatus,
  StudioSpec,
} from '../driver';
import { KeyedQueue } from '../keyed-queue';
import { MachineCatalog } from '../machines/catalog';
import { RuntimeError } from '../runtime-error';
import { DockerAgentLauncher } from './agent-launcher';
import { connectDocker, type DockerConnectionOptions } from './connection';
import { hasAgentMounts } from './container-spec';
import { startExec } from './exec-session';
import { GpuProbe } from './gpu-probe';
import { ImagePreparer } from './image-preparer';
import { ImageCatalog } from './images';
import { ContainerLifecycle } from './lifecycle';
import { switchMachine } from './machine-switch';
import { containerName, LABEL_MACHINE } from './names';
import type { EgressAllowance } from './network/egress-allowance';
import { FirewallGuard } from './network/firewall-guard';
import type { HostFirewall } from './network/host-firewall';
import { readDockerDnsServers } from './network/host-resolvers';
import { IptablesFirewall } from './network/iptables-firewall';
import { type StudioNetworkOptions, StudioNetworks } from './network/studio-networks';
import { StudioStatusTracker } from './status-tracker';

export interface DockerDriverOptions extends DockerConnectionOptions {
  /** Host folders of the agent runtime and of each Studio's agent socket. */
  agent: AgentHostPaths;
  /** What an agent process printed before it ended (errors), for the server's log. */
  onAgentOutput?: (studioId: string, text: string) => void;
  /**
   * Owner given to a Studio's workspace folder (the mount source, not what is inside it) so the
   * Studio user can write there: the image's `studio` user. Only a root server can (and must).
   */
  workspaceOwner?: { uid: number; gid: number } | undefined;
  /** The machine types Studios may use; every container is built from an entry of it. */
  catalog?: MachineCatalog;
  clock?: Clock;
  /**
   * The script that builds a missing `studios/base:*` image (docker/build-images.sh by default);
   * it gets the tag in STUDIOS_BASE_IMAGE and reports on `studios-build:` lines.
   */
  buildScript?: string;
  /** Where Studio networks get their subnets, and the prefix of their bridge interfaces. */
  network?: StudioNetworkOptions;
  /** Destinations in otherwise blocked ranges that Studios may reach. */
  egressAllow?: readonly EgressAllowance[];
  /** The host firewall around Studio networks; iptables by default. */
  firewall?: HostFirewall;
  log?: Logger;
}

/**
 * The runtime on a Docker engine: one hardened container and one isolated bridge network per
 * Studio, behind a host firewall the driver keeps installed (no host, private or link-local
 * destinations; the internet stays reachable). Calls for the same Studio are serialised;
 * engine failures become RuntimeErrors with words a user can act on.
 */
export class DockerDriver implements RuntimeDriver {
  readonly kind = 'docker' as const;
  readonly catalog: MachineCatalog;
  readonly images: ImageCatalog;
  readonly #docker: Docker;
  readonly #lifecycle: ContainerLifecycle;
  readonly #gpu: GpuProbe;
  readonly #preparer: ImagePreparer;
  readonly #queue = new KeyedQueue();
  readonly #listeners = new ListenerSet<RuntimeEvent>();
  readonly #tracker: StudioStatusTracker;
  readonly #agents: DockerAgentLauncher;
  readonly #workspaceOwner: { uid: number; gid: number } | undefined;
  readonly #firewall: FirewallGuard;

  constructor(options: DockerDriverOptions) {
    const clock = options.clock ?? systemClock;
    this.#docker = connectDocker(options);
    this.catalog = options.catalog ?? new MachineCatalog();
    this.images = new ImageCatalog(
      this.#docker,
      options.buildScript ? { buildScript: options.buildScript } : {},
    );
    this.#preparer = new ImagePreparer(this.images);
    this.#workspaceOwner = options.workspaceOwner;
    const networks = new StudioNetworks(this.#docker, options.network);
    this.#lifecycle = new ContainerLifecycle(this.#docker, networks, options.agent);
    this.#agents = new DockerAgentLauncher(
      this.#docker,
      this.#lifecycle,
      options.onAgentOutput ?? (() => {}),
    );
    this.#firewall = new FirewallGuard({
      firewall: options.firewall ?? new IptablesFirewall(),
      bridgePrefix: networks.bridgePrefix,
      allow: options.egressAllow ?? [],
      log: options.log ?? silentLogger,
      readDnsServers: () => readDockerDnsServers(),
    });
    this.#gpu = new GpuProbe(this.#docker, clock);
    this.#tracker = new StudioStatusTracker({
      docker: this.#docker,
      clock,
      lifecycle: this.#lifecycle,
      emit: (event) => this.#listeners.emit(event),
      // A dockerd restart rebuilds Docker's chains; ours are checked again once it is back.
      onConnected: () => void this.#firewall.ensure(),
    });
  }

  ensure(spec: StudioSpec): Promise<void> {
    const machine = this.catalog.get(spec.machine.id);
    return this.#queue.run(spec.studioId, async () => {
      await this.#ownWorkspace(spec.workspaceDir);
      if (await this.#lifecycle.inspect(spec.studioId)) return;
      if (machine.gpus > 0) await this.#assertGpu();
      await this.#firewall.ensure();
      await this.#lifecycle.ensure(spec, machine);
    });
  }

  start(studioId: string, onProgress: (message: string) => void = () => {}): Promise<void> {
    return this.#queue.run(studioId, async () => {
      await this.#upgradeOlderContainer(studioId, onProgress);
      onProgress('Starting the Studio container');
      await this.#firewall.ensure();
      await this.#lifecycle.start(studioId);
      await this.#tracker.refresh(studioId);
    });
  }

  async startAgent(spec: StudioSpec, launch: AgentLaunch): Promise<AgentProcess> {
    await this.#ownWorkspace(spec.workspaceDir);
    return this.#agents.start(spec, launch);
  }

  /** The workspace folder itself (lchown: never through a link), not its content. */
  async #ownWorkspace(dir: string): Promise<void> {
    const owner = this.#workspaceOwner;
    if (owner) await lchown(dir, owner.uid, owner.gid);
  }

  /**
   * A Studio created by an older Studios has no agent mounts; it is rebuilt on the same machine
   * type the way a machine switch does it, keeping its installed packages and workspace.
   */
  async #upgradeOlderContainer(studioId: string, onProgress: (message: string) => void): Promise<void> {
    const info = await this.#lifecycle.inspect(studioId);
    if (!info || hasAgentMounts(info.Mounts)) return;
    const machine = this.catalog.get(info.Config.Labels?.[LABEL_MACHINE] ?? '');
    onProgress('Updating the Studio container to this version of Studios');
    this.#tracker.hold(studioId);
    try {
      await switchMachine(
        { docker: this.#docker, lifecycle: this.#lifecycle, gpu: this.#gpu },
        studioId,
        machine,
        onProgress,
        { rebuild: true },
      );
    } finally {
      await this.#tracker.release(studioId);
    }
  }

  stop(studioId: string): Promise<void> {
    return this.#queue.run(studioId, async () => {
      await this.#lifecycle.stop(studioId);
      await this.#tracker.refresh(studioId);
    });
  }

  remove(studioId: string): Promise<void> {
    return this.#queue.run(studioId, async () => {
      await this.#lifecycle.remove(studioId);
      this.#tracker.forget(studioId);
    });
  }

  status(studioId: string): Promise<RuntimeStatus> {
    return this.#lifecycle.status(studioId);
  }

  list(): Promise<Array<{ studioId: string; status: RuntimeStatus }>> {
    return this.#lifecycle.list();
  }

  onEvent(listener: (event: RuntimeEvent) => void): Disposable {
    const subscription = this.#listeners.add(listener);
    this.#tracker.follow(true);
    return {
      dispose: () => {
        subscription.dispose();
        if (this.#listeners.size === 0) this.#tracker.follow(false);
      },
    };
  }

  async exec(studioId: string, options: ExecOptions): Promise<ExecSession> {
    // No inspect first (one engine round trip less before a terminal's prompt): the engine
    // refuses an exec in a stopped container (409, "is not running") or a missing one (404).
    try {
      return await startExec(this.#docker.getContainer(containerName(studioId)), options);
    } catch (error) {
      if (error instanceof RuntimeError && error.code === ErrorCode.NotFound) {
        throw new RuntimeError(ErrorCode.StudioNotRunning, 'The Studio is not running. Start it first.', {
          cause: error,
        });
      }
      throw error;
    }
  }

  switchMachine(
    studioId: string,
    machine: MachineType,
    onProgress?: (message: string) => void,
  ): Promise<void> {
    const target = this.catalog.get(machine.id);
    return this.#queue.run(studioId, async () => {
      this.#tracker.hold(studioId);
      try {
        await this.#firewall.ensure();
        await switchMachine(
          { docker: this.#docker, lifecycle: this.#lifecycle, gpu: this.#gpu },
          studioId,
          target,
          onProgress,
        );
      } finally {
        await this.#tracker.release(studioId);
      }
    });
  }

  async checkMachine(machine: MachineType): Promise<void> {
    const target = this.catalog.get(machine.id);
    if (target.gpus > 0) await this.#assertGpu();
  }

  prepare(machine: MachineType, onProgress?: (progress: Progress) => void): Promise<void> {
    return this.#preparer.prepare(this.catalog.get(machine.id).image, onProgress);
  }

  async dispose(): Promise<void> {
    this.#listeners.clear();
    this.#tracker.dispose();
    this.#preparer.dispose();
  }

  /** GPU availability, probed with an image that exists here (a GPU image may not). */
  async #assertGpu(): Promise<void> {
    const { runtimes } = await this.#lifecycle.engineInfo();
    const present = [];
    for (const type of this.catalog.list()) {
      if (await this.images.exists(type.image)) present.push(type.image);
    }
    const probeImage = present[0];
    if (!probeImage && !runtimes.includes('nvidia')) {
      throw new RuntimeError(
        ErrorCode.RuntimeError,
        'No Studio image is built on this host. Run scripts/setup/ensure-images.sh',
      );
    }
    await this.#gpu.assertAvailable(runtimes, probeImage ?? '');
  }
}
