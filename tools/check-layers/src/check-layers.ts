import { posix } from 'node:path';
import { importsOf, linesMatching } from './imports';
import {
  CONFINED_MODULES,
  EXCEPTIONS,
  FORBIDDEN_MODULES,
  LAYERS,
  SELF_CONTAINED,
  TEST_CODE,
  TEST_ONLY_PACKAGE,
  WEB_AREAS,
  WEB_NETWORK_CALLS,
  WEB_NETWORK_FOLDER,
} from './rules';

/** A source file, by its path relative to the repository root (with `/`). */
export interface SourceFile {
  path: string;
  text: string;
}

/** One import (or network call) that breaks a rule of `rules.ts`. */
export interface Violation {
  file: string;
  line: number;
  rule: string;
  /** The import specifier, or the network call, that breaks the rule. */
  specifier: string;
  message: string;
}

/** An allowed breach of a rule (see `EXCEPTIONS` in rules.ts). */
export type LayerException = (typeof EXCEPTIONS)[number];

const WEB_SRC = 'apps/web/src/';

/**
 * Checks every import of `files` against the rules table. Exceptions silence a matching
 * violation; an exception that matches nothing is itself reported, so the list only shrinks.
 */
export function checkLayers(
  files: readonly SourceFile[],
  exceptions: readonly LayerException[] = EXCEPTIONS,
): Violation[] {
  const found = files.flatMap(checkFile);
  const used = new Set<LayerException>();
  const kept = found.filter((violation) => {
    const exception = exceptions.find(
      (entry) => entry.file === violation.file && entry.specifier === violation.specifier,
    );
    if (exception) used.add(exception);
    return !exception;
  });
  for (const exception of exceptions) {
    if (used.has(exception)) continue;
    kept.push({
      file: exception.file,
      line: 0,
      rule: 'stale-exception',
      specifier: exception.specifier,
      message: 'this exception matches nothing any more: remove it from EXCEPTIONS in rules.ts',
    });
  }
  return kept;
}

function checkFile(file: SourceFile): Violation[] {
  const workspace = workspaceOf(file.path);
  if (!workspace) return [];
  const isTest = TEST_CODE.some((pattern) => pattern.test(file.path));
  const violations: Violation[] = [];
  const report = (line: number, rule: string, specifier: string, message: string) =>
    violations.push({ file: file.path, line, rule, specifier, message });

  for (const { specifier, line } of importsOf(file.text)) {
    const say = (rule: string, message: string) => report(line, rule, specifier, message);
    if (specifier.startsWith('.')) {
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      if (!target.startsWith(workspace.root)) {
        say('outside-workspace', `reaches out of ${workspace.name}; import the other package by its name`);
      } else if (!isTest && `${target}/`.includes('/src/testing/')) {
        say('test-code', 'product code imports a testing/ fixture');
      } else if (file.path.startsWith(WEB_SRC) && target.startsWith(WEB_SRC)) {
        const problem = webImportProblem(file.path, target);
        if (problem) say(problem.rule, problem.message);
      }
      continue;
    }
    const ours = /^(@studios\/[^/]+)(\/.*)?$/.exec(specifier);
    if (ours) {
      const name = ours[1] as string;
      const allowed = LAYERS[workspace.name];
      if (ours[2]) say('front-door', `enter ${name} through its front door ('${name}'), not a deep path`);
      else if (name === workspace.name) continue;
      else if (name === TEST_ONLY_PACKAGE) {
        if (!isTest) say('test-code', `product code imports ${name}`);
      } else if (!allowed) say('layer', `${workspace.name} is missing from LAYERS in rules.ts`);
      else if (!allowed.includes(name)) {
        say('layer', `${workspace.name} may not import ${name} (allowed: ${allowed.join(', ') || 'none'})`);
      }
      continue;
    }
    if (SELF_CONTAINED.includes(workspace.name) && !isTest) {
      say('self-contained', `${workspace.name} imports nothing but its own files`);
      continue;
    }
    for (const rule of FORBIDDEN_MODULES) {
      if (rule.workspace === workspace.name && !isTest && rule.modules.includes(specifier)) {
        say('forbidden', `${workspace.name} may not import ${specifier}: ${rule.why}`);
      }
    }
    for (const { module, only, orTestCode } of CONFINED_MODULES) {
      const matches = specifier === module || specifier.startsWith(`${module}/`);
      if (matches && !file.path.startsWith(only) && !(orTestCode && isTest)) {
        say('confined', `${module} is imported only under ${only}`);
      }
    }
  }

  if (file.path.startsWith(WEB_SRC) && !file.path.startsWith(WEB_NETWORK_FOLDER)) {
    for (const { pattern, name } of WEB_NETWORK_CALLS) {
      for (const line of linesMatching(file.text, pattern)) {
        report(line, 'web-network', name, `only ${WEB_NETWORK_FOLDER} calls ${name}`);
      }
    }
  }
  return violations;
}

/** The workspace a path belongs to: its package name (by folder) and root folder. */
function workspaceOf(path: string): { name: string; root: string } | undefined {
  const nested = /^(packages|apps)\/([^/]+)\//.exec(path);
  if (nested) return { name: `@studios/${nested[2]}`, root: nested[0] };
  const top = /^(e2e|bench)\//.exec(path);
  if (top) return { name: `@studios/${top[1]}`, root: top[0] };
  return undefined;
}

/** The folder of `apps/web/src/` a path is in, as WEB_AREAS names it. */
function webArea(path: string): string {
  const inside = path.slice(WEB_SRC.length);
  if (inside === 'main.tsx' || inside === 'main') return 'main.tsx';
  return `${inside.split('/')[0]}/`;
}

function webImportProblem(from: string, target: string): { rule: string; message: string } | undefined {
  const fromArea = webArea(from);
  const toArea = webArea(target);
  const allowed = WEB_AREAS[fromArea];
  if (!allowed) return { rule: 'web-layer', message: `${fromArea} is missing from WEB_AREAS in rules.ts` };
  if (!allowed.includes(toArea))
    return { rule: 'web-layer', message: `${fromArea} may not import ${toArea}` };
  if (fromArea !== 'features/' || toArea !== 'features/') return undefined;
  const feature = (path: string) => path.slice(WEB_SRC.length).split('/')[1];
  const other = feature(target);
  if (other === feature(from)) return undefined;
  const frontDoor = `${WEB_SRC}features/${other}`;
  if (target === frontDoor || target === `${frontDoor}/index`) return undefined;
  return {
    rule: 'web-feature',
    message: `reaches into features/${other}; import '../${other}' (its index.ts) or move the shared piece to shared/ or ui/`,
  };
}
