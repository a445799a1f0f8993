// Front door of features/ssh-keys/ for other features: your SSH keys and the gateway's host key.
export { AddSshKeyDialog } from './AddSshKeyDialog';
export { GatewayHostKey, GatewayOffNotice } from './GatewayDetails';
export { SshKeysPage } from './SshKeysPage';
export { keyTypeLabel } from './ssh-key-text';
