import { describe, expect, it } from 'vitest';
import { importsOf, linesMatching } from './imports';

describe('importsOf', () => {
  it('finds static, multi-line, type-only, re-export, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a';",
      'import {',
      '  b,',
      '  type C,',
      "} from '@studios/b';",
      'import type { D } from "d";',
      "export { e } from '../e';",
      "import './styles.css';",
      "const F = lazy(() => import('../f/F').then((m) => m));",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: './a', line: 1 },
      { specifier: '@studios/b', line: 5 },
      { specifier: 'd', line: 6 },
      { specifier: '../e', line: 7 },
      { specifier: './styles.css', line: 8 },
      { specifier: '../f/F', line: 9 },
    ]);
  });

  it('ignores examples in comments and strings, and exports without a source', () => {
    const text = [
      '/**',
      " * import { x } from '@studios/server';",
      ' */',
      "// import y from 'dockerode';",
      'const text = "import z from \'node-pty\'";',
      'export { local };',
      'export interface Options { from: string; }',
    ].join('\n');
    expect(importsOf(text)).toEqual([]);
  });
});

describe('linesMatching', () => {
  it('reports code lines only', () => {
    const text = ['// fetch( in a comment', ' * fetch( in TSDoc', 'await fetch(url);', 'refetch();'].join(
      '\n',
    );
    expect(linesMatching(text, /\bfetch\(/)).toEqual([3]);
  });
});
