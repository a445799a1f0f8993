import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

// monaco-editor 0.56+ only exports `./*` → `./esm/vs/*`, but y-monaco imports
// `monaco-editor/esm/vs/editor/editor.api.js`; point such deep paths at the real files.
// Its exports map hides package.json, so climb from the entry (`<root>/esm/vs/index.js`).
const monacoRoot = dirname(dirname(dirname(fileURLToPath(import.meta.resolve('monaco-editor')))));

export default defineConfig(({ mode }) => {
  // The only reader of the environment in this app: where the dev server proxies the API.
  const env = loadEnv(mode, process.cwd(), 'STUDIOS_');
  const apiTarget = env.STUDIOS_API_URL ?? 'http://127.0.0.1:8080';
  return {
    plugins: [react()],
    resolve: {
      dedupe: ['yjs', 'y-protocols', 'lib0', 'monaco-editor'],
      alias: [{ find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${monacoRoot}/esm/vs/$1` }],
    },
    worker: { format: 'es' },
    // The manifest tells the page which files each lazy chunk needs, so it can download them with
    // retries before importing (src/api/app-assets.ts).
    build: { chunkSizeWarningLimit: 8000, sourcemap: false, manifest: 'asset-manifest.json' },
    server: {
      proxy: { '/api': { target: apiTarget, ws: true, changeOrigin: false } },
    },
  };
});
