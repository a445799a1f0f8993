import { describe, expect, it } from 'vitest';
import { IopubContent } from './message-content';
import { toExecuteEvent } from './nbformat-output';

describe('iopub messages as nbformat v4 outputs', () => {
  it('turns streams, results, displays and errors into outputs', () => {
    expect(toExecuteEvent('stream', { name: 'stdout', text: 'hi\n' })).toEqual({
      type: 'output',
      output: { output_type: 'stream', name: 'stdout', text: 'hi\n' },
    });
    const result = IopubContent.execute_result.parse({ execution_count: 3, data: { 'text/plain': '2' } });
    expect(toExecuteEvent('execute_result', result)).toEqual({
      type: 'output',
      output: {
        output_type: 'execute_result',
        data: { 'text/plain': '2' },
        metadata: {},
        execution_count: 3,
      },
    });
    const display = IopubContent.display_data.parse({
      data: { 'image/png': 'iVBOR' },
      metadata: {},
      transient: { display_id: 'd1' },
    });
    expect(toExecuteEvent('display_data', display)).toEqual({
      type: 'output',
      output: { output_type: 'display_data', data: { 'image/png': 'iVBOR' }, metadata: {} },
      displayId: 'd1',
    });
    expect(toExecuteEvent('error', { ename: 'ValueError', evalue: 'x', traceback: ['t'] })).toEqual({
      type: 'output',
      output: { output_type: 'error', ename: 'ValueError', evalue: 'x', traceback: ['t'] },
    });
  });

  it('keeps the display id of updates and the wait flag of clears', () => {
    const update = IopubContent.update_display_data.parse({
      data: { 'text/plain': 'b' },
      transient: { display_id: 'd1' },
    });
    expect(toExecuteEvent('update_display_data', update)).toEqual({
      type: 'update_display_data',
      displayId: 'd1',
      output: { output_type: 'display_data', data: { 'text/plain': 'b' }, metadata: {} },
    });
    expect(toExecuteEvent('clear_output', { wait: true })).toEqual({ type: 'clear_output', wait: true });
  });

  it('refuses contents of the wrong shape', () => {
    expect(IopubContent.stream.safeParse({ name: 'stdweird', text: 1 }).success).toBe(false);
    expect(IopubContent.update_display_data.safeParse({ data: {}, transient: {} }).success).toBe(false);
  });
});
