/** One module specifier found in a source file. */
export interface ImportSite {
  specifier: string;
  /** 1-based line of the import. */
  line: number;
}

// Biome formats every import and re-export to start at column 0, so anchoring there keeps
// examples inside comments and strings out. Dynamic import() can stand anywhere in a line.
const STATIC_FROM = /^(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"]+)\1/gm;
const SIDE_EFFECT = /^import\s*(['"])([^'"]+)\1/gm;
const DYNAMIC = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

/** Every module specifier that `text` imports or re-exports, statically or with `import()`. */
export function importsOf(text: string): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const pattern of [STATIC_FROM, SIDE_EFFECT, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[2] as string;
      // The specifier's own line: a multi-line import starts several lines above it.
      const at = (match.index ?? 0) + match[0].lastIndexOf(specifier);
      sites.push({ specifier, line: lineAt(text, at) });
    }
  }
  return sites.sort((a, b) => a.line - b.line);
}

/** Lines of `text` (1-based) on which `pattern` occurs in code, comment lines left out. */
export function linesMatching(text: string, pattern: RegExp): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
    if (pattern.test(line)) lines.push(index + 1);
  });
  return lines;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
