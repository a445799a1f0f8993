// Front door of features/terminal/ for other features: the terminal panel. xterm.js is loaded
// lazily by the Studio page, through import('../terminal') only.
export { TerminalPanel } from './TerminalPanel';
