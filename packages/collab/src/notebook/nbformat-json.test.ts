import { describe, expect, it } from 'vitest';
import { splitLinesKeepEnds, stringifyLikeNbformat } from './nbformat-json';

describe('nbformat JSON layout', () => {
  it("indents by one space, sorts keys by code point and keeps non-ASCII (Python's json.dumps)", () => {
    expect(stringifyLikeNbformat({ b: [1, { z: 'é', a: [] }], a: {}, B: null })).toBe(
      '{\n "B": null,\n "a": {},\n "b": [\n  1,\n  {\n   "a": [],\n   "z": "é"\n  }\n ]\n}\n',
    );
  });

  it('writes floats as Python repr does', () => {
    const floats = [11.5, 0.1, 1e-5, 0.0001, 1.5e16, -2.5e-7, 1e22, 123.456];
    expect(floats.map((value) => stringifyLikeNbformat(value).trim())).toEqual([
      '11.5',
      '0.1',
      '1e-05',
      '0.0001',
      '1.5e+16',
      '-2.5e-07',
      '1e+22',
      '123.456',
    ]);
  });

  it('escapes control characters as Python does', () => {
    expect(stringifyLikeNbformat('a"\\\n\t\u0001\u2028').trim()).toBe('"a\\"\\\\\\n\\t\\u0001\u2028"');
  });

  it("splits lines like Python's splitlines(True)", () => {
    expect(splitLinesKeepEnds('a\nb\r\nc\rd\u2028e')).toEqual(['a\n', 'b\r\n', 'c\r', 'd\u2028', 'e']);
    expect(splitLinesKeepEnds('')).toEqual([]);
    expect(splitLinesKeepEnds('x\n')).toEqual(['x\n']);
  });
});
