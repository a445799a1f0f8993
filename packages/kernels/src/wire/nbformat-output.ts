import type { z } from 'zod';
import type { IopubContent, IopubType } from './message-content';

/**
 * Outputs as nbformat v4 stores them in a notebook's cells
 * (https://nbformat.readthedocs.io/en/latest/format_description.html#code-cell-outputs), so the
 * notebook document writes them as they are.
 */
export type NbOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
      output_type: 'execute_result';
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      execution_count: number | null;
    }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

/** A display that later `update_display_data` messages may replace (`display(…, display_id=…)`). */
export type DisplayOutput = Extract<NbOutput, { output_type: 'display_data' }>;

/** What one execution streams while it runs, in the order the kernel sent it. */
export type ExecuteEvent =
  /** A new output; `displayId` when it is a display that may be updated later. */
  | { type: 'output'; output: NbOutput; displayId?: string }
  /** `clear_output`: with `wait`, clear when the next output arrives (avoids flicker). */
  | { type: 'clear_output'; wait: boolean }
  /** Replace every output shown with `displayId` (in any cell) by `output`. */
  | { type: 'update_display_data'; displayId: string; output: DisplayOutput }
  /** The code called `input()`: answer with the execution's `inputReply(value)`. */
  | { type: 'input_request'; prompt: string; password: boolean };

type Content<T extends IopubType> = z.infer<(typeof IopubContent)[T]>;

/** The event an iopub message of `type` (already validated) means, or undefined for other types. */
export function toExecuteEvent(type: IopubType, content: Content<IopubType>): ExecuteEvent | undefined {
  switch (type) {
    case 'stream': {
      const { name, text } = content as Content<'stream'>;
      return { type: 'output', output: { output_type: 'stream', name, text } };
    }
    case 'display_data': {
      const { data, metadata, transient } = content as Content<'display_data'>;
      return withDisplayId(
        { type: 'output', output: { output_type: 'display_data', data, metadata } },
        transient,
      );
    }
    case 'execute_result': {
      const { data, metadata, execution_count, transient } = content as Content<'execute_result'>;
      return withDisplayId(
        { type: 'output', output: { output_type: 'execute_result', data, metadata, execution_count } },
        transient,
      );
    }
    case 'error': {
      const { ename, evalue, traceback } = content as Content<'error'>;
      return { type: 'output', output: { output_type: 'error', ename, evalue, traceback } };
    }
    case 'clear_output':
      return { type: 'clear_output', wait: (content as Content<'clear_output'>).wait };
    case 'update_display_data': {
      const { data, metadata, transient } = content as Content<'update_display_data'>;
      return {
        type: 'update_display_data',
        displayId: transient.display_id,
        output: { output_type: 'display_data', data, metadata },
      };
    }
    default:
      return undefined;
  }
}

function withDisplayId(
  event: Extract<ExecuteEvent, { type: 'output' }>,
  transient: { display_id?: string | undefined } | undefined,
): ExecuteEvent {
  return transient?.display_id === undefined ? event : { ...event, displayId: transient.display_id };
}
