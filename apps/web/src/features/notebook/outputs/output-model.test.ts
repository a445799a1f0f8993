import { describe, expect, it } from 'vitest';
import { applyCarriageReturns, outputView, outputViews } from './output-model';

describe('outputView', () => {
  it('puts everything that can carry script into the sandboxed frame', () => {
    for (const mime of ['text/html', 'image/svg+xml', 'application/javascript']) {
      const view = outputView({
        output_type: 'display_data',
        data: { [mime]: '<b>x</b>', 'text/plain': 'x' },
        metadata: {},
      });
      expect(view).toMatchObject({ kind: 'frame', mime });
    }
  });

  it('prefers rich types like JupyterLab and falls back to text/plain', () => {
    expect(outputView({ output_type: 'execute_result', data: { 'text/plain': ['4', '2'] } })).toEqual({
      kind: 'text',
      text: '42',
    });
    expect(
      outputView({ output_type: 'display_data', data: { 'text/markdown': '# a', 'text/plain': 'a' } }).kind,
    ).toBe('markdown');
    expect(outputView({ output_type: 'display_data', data: { 'application/json': { a: 1 } } })).toEqual({
      kind: 'json',
      value: { a: 1 },
    });
    expect(outputView({ output_type: 'display_data', data: { 'application/x-unknown': 1 } })).toEqual({
      kind: 'unsupported',
      mimes: ['application/x-unknown'],
    });
  });

  it('makes base64 images data: URLs and refuses anything that is not base64', () => {
    const png = outputView({
      output_type: 'display_data',
      data: { 'image/png': 'iVBORw0KGgo=\n' },
      metadata: { 'image/png': { width: 40 } },
    });
    expect(png).toMatchObject({ kind: 'image', src: 'data:image/png;base64,iVBORw0KGgo=', width: 40 });
    const hostile = outputView({
      output_type: 'display_data',
      data: { 'image/png': '" onerror="alert(1)', 'text/plain': 'fig' },
    });
    expect(hostile).toEqual({ kind: 'text', text: 'fig' });
  });

  it('keeps a closing script tag inside JavaScript from ending the wrapper early', () => {
    const view = outputView({
      output_type: 'display_data',
      data: { 'application/javascript': 'a("</script><img>")' },
    });
    expect(view.kind === 'frame' && view.html.match(/<\/script>/g)?.length).toBe(1);
  });

  it('reads errors and streams', () => {
    expect(
      outputView({
        output_type: 'error',
        ename: 'ValueError',
        evalue: 'bad',
        traceback: ['\u001b[31mTrace', 'line'],
      }),
    ).toEqual({
      kind: 'error',
      ename: 'ValueError',
      evalue: 'bad',
      traceback: '\u001b[31mTrace\nline',
    });
    expect(outputView({ output_type: 'stream', name: 'stderr', text: 'oops' })).toEqual({
      kind: 'stream',
      name: 'stderr',
      text: 'oops',
    });
  });
});

describe('outputViews', () => {
  it('joins consecutive streams of one name and applies carriage returns', () => {
    const views = outputViews([
      { output_type: 'stream', name: 'stdout', text: '10%\r' },
      { output_type: 'stream', name: 'stdout', text: '50%\r100%\ndone\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn' },
    ]);
    expect(views).toEqual([
      { kind: 'stream', name: 'stdout', text: '100%\ndone\n' },
      { kind: 'stream', name: 'stderr', text: 'warn' },
    ]);
  });

  it('keeps the visible line when it ends with a carriage return', () => {
    expect(applyCarriageReturns('a\r\nb 1\rb 2\r')).toBe('a\nb 2');
  });
});
