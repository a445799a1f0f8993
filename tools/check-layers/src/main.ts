// `npm run layers`: checks the import layering of the whole repository (rules in rules.ts) and
// exits non-zero with one line per violation.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers, type SourceFile } from './check-layers';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED = ['apps', 'packages', 'e2e', 'bench'];
const SKIPPED = new Set(['node_modules', 'dist', '.turbo', 'results', 'test-results', 'coverage']);

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Workspaces are named by their folder (packages/x → @studios/x); the rules rely on it. */
function misnamedWorkspaces(): string[] {
  const folders = [
    ...['apps', 'packages'].flatMap((group) =>
      readdirSync(join(root, group)).map((name) => ({ folder: `${group}/${name}`, name })),
    ),
    { folder: 'e2e', name: 'e2e' },
    { folder: 'bench', name: 'bench' },
  ];
  return folders.flatMap(({ folder, name }) => {
    const manifest = join(root, folder, 'package.json');
    if (!existsSync(manifest)) return [];
    const actual = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
    return actual === `@studios/${name}`
      ? []
      : [`${folder}/package.json is named ${actual}, not @studios/${name}`];
  });
}

const files: SourceFile[] = SCANNED.flatMap((dir) => [...sourceFiles(join(root, dir))]).map((path) => ({
  path: relative(root, path).split(sep).join('/'),
  text: readFileSync(path, 'utf8'),
}));
const problems = [
  ...misnamedWorkspaces(),
  ...checkLayers(files).map(
    (violation) =>
      `${violation.file}:${violation.line}  [${violation.rule}] ${violation.specifier}: ${violation.message}`,
  ),
];
if (problems.length > 0) {
  console.error(`Layering: ${problems.length} violation(s) (rules: tools/check-layers/src/rules.ts)`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`Layering: ${files.length} files, no violations.`);
