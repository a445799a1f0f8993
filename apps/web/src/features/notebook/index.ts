// Front door of features/notebook/: a `.ipynb` file as a live notebook. It brings Monaco, marked,
// DOMPurify and KaTeX, so the editor area loads it lazily, through import('../notebook') only.
export type { NotebookViewProps } from './NotebookView';
export { NotebookView } from './NotebookView';
