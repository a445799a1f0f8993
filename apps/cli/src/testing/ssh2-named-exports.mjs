// Test-only workaround, to remove once the server starts under plain Node: packages/ssh-gateway
// does `import { utils } from 'ssh2'`, a named import from a CommonJS package that Node's ESM
// loader cannot see (ssh2's `module.exports = { …, utils: {…} }` defeats cjs-module-lexer), so
// `node --import tsx apps/server/src/main.ts` exits with "does not provide an export named
// 'utils'". vitest's loader papers over it, which is why the server's own tests pass. This hook
// serves 'ssh2' as an ES module with one named export per property. Loaded after tsx, so it runs
// first.
import { register } from 'node:module';

register('./ssh2-named-exports-hooks.mjs', import.meta.url);
