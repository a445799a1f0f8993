// The SSH gateway: ssh2 lives only in this package. Named exports only (house rule 3).

export { SshGateway, type SshGatewayOptions } from './gateway/ssh-gateway';
export type {
  SshChannelKind,
  SshConnectionControl,
  SshGatewayBackend,
  SshLoginAttempt,
  SshPrincipal,
  SshStudioSession,
} from './gateway-backend';
export { type HostKey, loadOrCreateHostKey } from './keys/host-key';
export { fingerprintOf, type ParsedPublicKey, parsePublicKey } from './keys/public-key';
