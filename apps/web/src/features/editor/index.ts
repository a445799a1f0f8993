// Front door of features/editor/ for other features: the editor area. Monaco weighs megabytes,
// so the Studio page loads it lazily, through import('../editor') only.
export { EditorArea } from './EditorArea';
