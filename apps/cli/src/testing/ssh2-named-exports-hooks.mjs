// Module hooks for ssh2-named-exports.mjs (they run on Node's loader thread).
import { createRequire } from 'node:module';

const SCHEME = 'studios-test-ssh2:';

export async function resolve(specifier, context, next) {
  if (specifier !== 'ssh2' || !context.parentURL?.startsWith('file:')) return next(specifier, context);
  return { url: `${SCHEME}${encodeURIComponent(context.parentURL)}`, shortCircuit: true };
}

export async function load(url, context, next) {
  if (!url.startsWith(SCHEME)) return next(url, context);
  const parent = decodeURIComponent(url.slice(SCHEME.length));
  const names = Object.keys(createRequire(parent)('ssh2')).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  const source = [
    "import { createRequire } from 'node:module';",
    `const ssh2 = createRequire(${JSON.stringify(parent)})('ssh2');`,
    'export default ssh2;',
    ...names.map((name) => `export const ${name} = ssh2.${name};`),
  ].join('\n');
  return { format: 'module', source, shortCircuit: true };
}
