export {
  AGENT_BUNDLE_FILE,
  AGENT_NODE_FILE,
  AGENT_SOCKET_FILE,
  type AgentHostPaths,
  type AgentLaunch,
  type AgentProcess,
} from './agent-launch';
export { dockerAnswers } from './docker/connection';
export { DockerDriver, type DockerDriverOptions } from './docker/docker-driver';
export { ImageCatalog } from './docker/images';
export {
  type EgressAllowance,
  formatEgressAllowance,
  parseEgressAllowances,
} from './docker/network/egress-allowance';
export { type FamilyRules, type IpFamily, studioFirewallRules } from './docker/network/firewall-rules';
export { FirewallError, type HostFirewall } from './docker/network/host-firewall';
export { readDockerDnsServers } from './docker/network/host-resolvers';
export { DEFAULT_CHAINS, IptablesFirewall } from './docker/network/iptables-firewall';
export { DEFAULT_BRIDGE_PREFIX, type StudioNetworkOptions } from './docker/network/studio-networks';
export {
  DEFAULT_SUBNET_POOL,
  DEFAULT_SUBNET_POOL_CIDR,
  parseSubnetPool,
  type SubnetPool,
} from './docker/network/subnet-pool';
export type {
  ExecOptions,
  ExecSession,
  Progress,
  RuntimeDriver,
  RuntimeEvent,
  RuntimeStatus,
  StudioSpec,
} from './driver';
export {
  DEFAULT_IDLE_MS,
  DEFAULT_IDLE_WARNING_MS,
  IdleMonitor,
  type IdleMonitorOptions,
} from './idle/idle-monitor';
export {
  assertLocalDriverAllowed,
  isLoopbackHost,
  LocalDriver,
  type LocalDriverOptions,
  type LocalUser,
  lookUpLocalUser,
} from './local';
export { DEFAULT_MACHINE_TYPES, MachineCatalog } from './machines/catalog';
export { isRuntimeError, RuntimeError, type RuntimeErrorCode } from './runtime-error';
