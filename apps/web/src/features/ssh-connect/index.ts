// Front door of features/ssh-connect/ for other features: open a Studio in VS Code or Cursor over SSH.
export { SshConnectButton } from './SshConnectButton';
