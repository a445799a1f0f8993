export { ptySizeFor, type TerminalSize } from './pty-size-policy';
export type { TerminalUser } from './terminal-connection';
export {
  type CreateTerminalOptions,
  TerminalService,
  type TerminalServiceOptions,
  type TerminalServiceStats,
} from './terminal-service';
export type { TerminalAttachment } from './terminal-session';
