import type { CollabService, DocumentFiles, NotebookHandle } from '@studios/collab';
import { DocumentLoadError } from '@studios/collab';
import { ErrorCode, StudiosError } from '@studios/protocol';
import type { OpenNotebook, SessionDocument } from './notebook-service';
import type { NotebookOutput } from './runner-ports';

/** The runner's view of a live notebook, over the collab service's handle for server writes. */
export function sessionDocument(handle: NotebookHandle): SessionDocument {
  return {
    batch: (changes) => handle.batch(changes),
    codeCellSource: (cellId) => {
      const cell = handle.findCell(cellId);
      return cell?.cellType === 'code' ? cell.source : undefined;
    },
    codeCellIds: () => handle.cellIds().filter((cellId) => handle.findCell(cellId)?.cellType === 'code'),
    kernelName: () => {
      const spec = handle.notebookMetadata().kernelspec;
      const name = spec && typeof spec === 'object' ? (spec as { name?: unknown }).name : undefined;
      return typeof name === 'string' && name.length > 0 ? name : undefined;
    },
    run: (cellId) => handle.runOf(cellId) ?? undefined,
    setRun: (cellId, run) => handle.setRun(cellId, run),
    setExecutionCount: (cellId, count) => void handle.setExecutionCount(cellId, count),
    // A notebook at its size limit takes no more output; the run goes on, its outputs are lost.
    appendOutput: (cellId, output, displayId) =>
      void handle.appendOutput(cellId, output as Parameters<NotebookHandle['appendOutput']>[1], displayId),
    clearOutputs: (cellId, options) => void handle.clearOutputs(cellId, options),
    updateDisplay: (displayId, output: NotebookOutput) =>
      void handle.updateDisplay(
        displayId,
        (output.data ?? {}) as Parameters<NotebookHandle['updateDisplay']>[1],
        (output.metadata ?? {}) as Parameters<NotebookHandle['updateDisplay']>[2],
      ),
    setKernelState: (state) => handle.setKernelState(state),
    dispose: () => handle.dispose(),
  };
}

/** Opens notebooks through the collab service, in words a person understands when it cannot. */
export function notebookOpener(
  collab: () => CollabService,
  files: (studioId: string) => DocumentFiles,
): OpenNotebook {
  return async (studioId, path) => {
    try {
      return sessionDocument(await collab().openNotebook(studioId, files(studioId), path));
    } catch (error) {
      if (error instanceof DocumentLoadError) {
        throw new StudiosError(
          ErrorCode.InvalidRequest,
          `${path} cannot be opened as a notebook: ${error.reason}`,
        );
      }
      throw error;
    }
  };
}
