import { networkError } from './api-error';
import { backoffDelay } from './backoff';

/** One entry of Vite's build manifest (`build.manifest`): a chunk, what it imports, its CSS. */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** Where the production build writes its manifest (apps/web/vite.config.ts). */
export const ASSET_MANIFEST_PATH = '/asset-manifest.json';
/** Downloads of app files are tried this many times in all before the page gives up. */
const ASSET_RETRIES = 4;

/** A file of the app that the server no longer has: a new version was deployed under the page. */
export class AssetMissingError extends Error {
  override readonly name = 'AssetMissingError';
  constructor(readonly url: string) {
    super(`${url} is no longer on the server`);
  }
}

/**
 * GETs a file and reads its whole body, trying again with backoff when the request or the body
 * is cut off (either can fail on a network change). Resolves with the status and the bytes.
 */
async function download(url: string, init: RequestInit = {}): Promise<{ status: number; body: ArrayBuffer }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(url, { ...init, credentials: 'same-origin' });
      return { status: response.status, body: await response.arrayBuffer() };
    } catch {
      if (attempt + 1 >= ASSET_RETRIES) throw networkError();
    }
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
  }
}

let manifest: Promise<Manifest | null> | undefined;

/** The build manifest, or null where there is none (the dev server). Fetched once per page. */
function loadManifest(): Promise<Manifest | null> {
  manifest ??= download(ASSET_MANIFEST_PATH, { cache: 'no-cache' })
    .then(({ status, body }) =>
      status === 200 ? (JSON.parse(new TextDecoder().decode(body)) as Manifest) : null,
    )
    .catch((error: unknown) => {
      manifest = undefined; // a network failure is worth asking again next time
      throw error;
    });
  return manifest;
}

/** Every file `key`'s chunk needs before it can run: itself, its static imports, their CSS. */
export function chunkFiles(all: Manifest, key: string): string[] {
  const files = new Set<string>();
  const visit = (name: string, seen: Set<string>) => {
    const chunk = all[name];
    if (!chunk || seen.has(name) || chunk.isEntry) return;
    seen.add(name);
    files.add(`/${chunk.file}`);
    for (const css of chunk.css ?? []) files.add(`/${css}`);
    for (const imported of chunk.imports ?? []) visit(imported, seen);
  };
  visit(key, new Set());
  return [...files];
}

/**
 * Downloads a lazily loaded chunk's files into the HTTP cache, retrying each on network errors,
 * before the browser's module loader asks for them. Why: a module the loader failed to fetch
 * stays failed for the page's lifetime (Chromium keeps it in its module map), and so does every
 * module importing it, so retrying `import()` cannot recover from a dropped request, but
 * retrying `fetch` can; the immutable hashed files are then served from the cache. `key` is the
 * module's path in the build manifest (`src/features/…/X.tsx`). Throws {@link AssetMissingError}
 * for a file the server no longer has, a network ApiError when it cannot be reached.
 */
export async function prefetchChunk(key: string): Promise<void> {
  const all = await loadManifest();
  if (!all) return;
  if (!all[key]) {
    console.warn(`asset manifest has no chunk ${key}: it loads without prefetching`);
    return;
  }
  await Promise.all(
    chunkFiles(all, key).map(async (file) => {
      if ((await download(file)).status === 404) throw new AssetMissingError(file);
    }),
  );
}

/** What the server says about one of the app's own files. */
export type AssetStatus = 'present' | 'gone' | 'unreachable';

/**
 * Asks the server whether a file of the web app still exists: after a deploy the old hashed
 * chunks are gone (404), which only a reload can fix; no answer means the network is down.
 */
export async function assetStatus(url: string): Promise<AssetStatus> {
  try {
    const response = await fetch(url, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    if (response.status === 404) return 'gone';
    return response.ok ? 'present' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
