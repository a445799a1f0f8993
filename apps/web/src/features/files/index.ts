// Front door of features/files/ for other features: the file explorer of the Studio page.
export { FileExplorer } from './FileExplorer';
