import { api } from '../../api/client';
import { cellId, cellKind, type NotebookDoc } from './notebook-doc';

export type KernelAction = 'start' | 'interrupt' | 'restart' | 'shutdown';

/**
 * What the notebook asks the server for. The answers show up in the shared document (runs,
 * outputs, kernel state), so these only report failures to refuse the request.
 */
export interface NotebookActions {
  /** Queues the code cells among `ids`, in notebook order; markdown and raw cells are skipped. */
  run(ids: readonly string[]): Promise<void>;
  runAll(): Promise<void>;
  /** Code cells before `id` (JupyterLab's "Run all above selected cell"). */
  runAbove(id: string | null): Promise<void>;
  /** `id` and every code cell after it. */
  runBelow(id: string | null): Promise<void>;
  kernel(action: KernelAction, kernelName?: string): Promise<void>;
  clearOutputs(ids?: readonly string[]): Promise<void>;
  answerInput(id: string, runId: string, value: string): Promise<void>;
}

export function notebookActions(nb: NotebookDoc, studioId: string, path: string): NotebookActions {
  const ordered = () => nb.cells.toArray();
  const codeIds = (cells: ReturnType<typeof ordered>) =>
    cells.filter((cell) => cellKind(cell) === 'code').map(cellId);
  const run = async (cellIds: string[]) => {
    if (cellIds.length > 0) await api.notebooks.run(studioId, { path, cellIds });
  };
  const indexOf = (id: string | null) => ordered().findIndex((cell) => cellId(cell) === id);
  return {
    run: (ids) => {
      const wanted = new Set(ids);
      return run(codeIds(ordered()).filter((id) => wanted.has(id)));
    },
    runAll: () => run(codeIds(ordered())),
    runAbove: (id) => run(codeIds(ordered().slice(0, Math.max(0, indexOf(id))))),
    runBelow: (id) => run(codeIds(ordered().slice(Math.max(0, indexOf(id))))),
    kernel: async (action, kernelName) => {
      if (action === 'start') {
        await api.notebooks.kernel(studioId, { path, action, ...(kernelName ? { kernelName } : {}) });
      } else await api.notebooks.kernel(studioId, { path, action });
    },
    clearOutputs: async (ids) => {
      await api.notebooks.clearOutputs(studioId, { path, ...(ids ? { cellIds: [...ids] } : {}) });
    },
    answerInput: async (id, runId, value) => {
      await api.notebooks.input(studioId, { path, cellId: id, runId, value });
    },
  };
}
