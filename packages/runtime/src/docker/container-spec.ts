import type { MachineType } from '@studios/protocol';
import type Docker from 'dockerode';
import { AGENT_RUNTIME_MOUNT, AGENT_SOCKET_FILE, AGENT_SOCKET_MOUNT, agentCommand } from '../agent-launch';
import { LABEL_MACHINE, LABEL_ROLE, LABEL_STUDIO } from './names';

/** Where the Studio's files live inside the container. */
export const WORKSPACE_PATH = '/workspace';
/** The Studio user (`studio` in the images); every exec runs as this user unless it asks for root. */
export const STUDIO_USER = '1000:1000';

/**
 * The container's own user, i.e. of PID 1 (`tini` + `sleep infinity`), not of anything a person
 * runs. It must be root: Docker 20.10 gives a container whose user is not root only a bounding
 * set of capabilities (effective and permitted empty), and execs inherit that process spec; with
 * no-new-privileges a root exec then cannot regain them, and `apt-get install` fails with
 * "setgroups 65534 failed". With root here, a root exec has exactly ROOT_CAPABILITIES and a
 * Studio-user exec still has none (CapEff 0), which the hardening tests check.
 */
export const CONTAINER_USER = '0:0';

/**
 * What root-run administrative steps (apt-get, chown of installed files) need; the Studio user
 * itself runs with no effective capabilities. Never SYS_ADMIN, NET_RAW or MKNOD.
 */
export const ROOT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL'] as const;

/**
 * The resource limits of a machine type. Docker refuses a NanoCpus above the host's CPU count,
 * so a 4-vCPU machine on a 2-core host gets 2 cores (the memory and pids limits still apply).
 */
export function machineHostConfig(machine: MachineType, hostCpus: number): Docker.HostConfig {
  const cpus = Math.min(machine.cpus, Math.max(1, hostCpus));
  const memory = machine.memoryMb * 1024 * 1024;
  const config: Docker.HostConfig = {
    NanoCpus: Math.round(cpus * 1e9),
    Memory: memory,
    // Equal to Memory: no swap, so a memory hog is OOM-killed instead of thrashing the host.
    MemorySwap: memory,
    PidsLimit: machine.pids,
  };
  if (machine.gpus > 0) {
    config.DeviceRequests = [{ Driver: 'nvidia', Count: machine.gpus, Capabilities: [['gpu']] }];
  }
  return config;
}

export interface ContainerSpecInput {
  studioId: string;
  name: string;
  /** Host folder bind-mounted at /workspace. */
  workspaceDir: string;
  /** A catalog machine type; users never supply limits, mounts or capabilities themselves. */
  machine: MachineType;
  network: string;
  hostCpus: number;
  /** Defaults to the machine type's image; a machine switch passes the Studio's snapshot. */
  image?: string;
  extraLabels?: Record<string, string>;
  /** Host folders of the agent runtime and of this Studio's agent socket (mounted read-only). */
  agent: { runtimeDir: string; socketDir: string };
}

/**
 * The agent's folders, read-only: the user (even as root in the container, without
 * CAP_SYS_ADMIN) can neither change the agent's Node and code nor replace the server's socket.
 */
function agentMounts(agent: ContainerSpecInput['agent']): Docker.MountSettings[] {
  return [
    { Type: 'bind', Source: agent.runtimeDir, Target: AGENT_RUNTIME_MOUNT, ReadOnly: true },
    { Type: 'bind', Source: agent.socketDir, Target: AGENT_SOCKET_MOUNT, ReadOnly: true },
  ];
}

/** True when a container was created with the agent's mounts (older Studios were not). */
export function hasAgentMounts(mounts: ReadonlyArray<{ Destination: string }>): boolean {
  return [AGENT_RUNTIME_MOUNT, AGENT_SOCKET_MOUNT].every((target) =>
    mounts.some((mount) => mount.Destination === target),
  );
}

/**
 * The one place a Studio container's configuration is decided. Hardening (all capabilities
 * dropped but a few for root, no-new-privileges, pids limit, no docker socket, own network)
 * is not optional and has no input that could turn it off.
 */
export function buildContainerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  return {
    name: input.name,
    Image: input.image ?? input.machine.image,
    Hostname: 'studio',
    User: CONTAINER_USER,
    WorkingDir: WORKSPACE_PATH,
    Cmd: ['sleep', 'infinity'],
    Tty: false,
    Labels: {
      ...input.extraLabels,
      [LABEL_STUDIO]: input.studioId,
      [LABEL_MACHINE]: input.machine.id,
    },
    HostConfig: {
      ...machineHostConfig(input.machine, input.hostCpus),
      // tini as PID 1 forwards SIGTERM (stop takes ~0.2 s instead of the full timeout) and reaps zombies.
      Init: true,
      Mounts: [
        { Type: 'bind', Source: input.workspaceDir, Target: WORKSPACE_PATH },
        ...agentMounts(input.agent),
      ],
      CapDrop: ['ALL'],
      CapAdd: [...ROOT_CAPABILITIES],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      NetworkMode: input.network,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    },
    NetworkingConfig: { EndpointsConfig: { [input.network]: {} } },
  };
}

/** Limits of a files-only sandbox: enough to stream files, nothing to compute with. */
const SANDBOX_LIMITS = { memory: 256 * 1024 * 1024, nanoCpus: 0.5e9, pids: 64 };

/**
 * A stopped Studio's files-only sandbox: the agent alone, as the Studio user, on the Studio's
 * workspace. No network at all, no GPU, no capabilities, a read-only root, small limits; it
 * removes itself when the agent exits.
 */
export function buildSandboxSpec(input: {
  studioId: string;
  name: string;
  image: string;
  workspaceDir: string;
  agent: ContainerSpecInput['agent'];
  token: string;
}): Docker.ContainerCreateOptions {
  return {
    name: input.name,
    Image: input.image,
    Hostname: 'studio',
    User: STUDIO_USER,
    WorkingDir: WORKSPACE_PATH,
    Cmd: agentCommand({
      runtimeDir: AGENT_RUNTIME_MOUNT,
      socket: `${AGENT_SOCKET_MOUNT}/${AGENT_SOCKET_FILE}`,
      workspace: WORKSPACE_PATH,
    }),
    Env: [`STUDIOS_AGENT_TOKEN=${input.token}`],
    Tty: false,
    Labels: { [LABEL_STUDIO]: input.studioId, [LABEL_ROLE]: 'sandbox' },
    HostConfig: {
      Init: true,
      AutoRemove: true,
      Memory: SANDBOX_LIMITS.memory,
      MemorySwap: SANDBOX_LIMITS.memory,
      NanoCpus: SANDBOX_LIMITS.nanoCpus,
      PidsLimit: SANDBOX_LIMITS.pids,
      Mounts: [
        { Type: 'bind', Source: input.workspaceDir, Target: WORKSPACE_PATH },
        ...agentMounts(input.agent),
      ],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      NetworkMode: 'none',
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '256k', 'max-file': '1' } },
    },
  };
}
