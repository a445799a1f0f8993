import { lazy } from 'react';
import { AssetMissingError, prefetchChunk } from '../api/app-assets';
import { backoffDelay } from '../api/backoff';

/** A lazily loaded part of the app that could not be fetched, even after retries. */
export class ChunkLoadError extends Error {
  override readonly name = 'ChunkLoadError';
  constructor(
    /** The chunk's URL when the browser named it; used to tell "gone after a deploy" from "offline". */
    readonly url: string | undefined,
    options?: { cause?: unknown },
  ) {
    super('A part of Studios could not be downloaded.', options);
  }
}

export interface ImportRetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Imports a module by URL; `import()` in the browser, injected in tests. */
  importUrl?: (url: string) => Promise<unknown>;
  random?: () => number;
}

const CHUNK_URL = /(https?:\/\/\S+?\.m?js)\b/;

/** The chunk URL a failed `import()` names ("Failed to fetch dynamically imported module: <url>"). */
export function failedChunkUrl(error: unknown): string | undefined {
  return error instanceof Error ? CHUNK_URL.exec(error.message)?.[1] : undefined;
}

/** Retries of every chunk so far: each retry's URL must be one the module map has never seen. */
let retriesSoFar = 0;

/** `url` with a query that makes it a new entry of the browser's module map. */
export function retryUrl(url: string, retry: number): string {
  const next = new URL(url);
  next.searchParams.set('retry', String(retry));
  return next.href;
}

/**
 * Runs a dynamic import, retrying with backoff when the download fails (a network change, a
 * dropped connection). Chromium remembers a failed module fetch for the page's lifetime and
 * answers every later `import()` of that URL with the same failure, so retries import the
 * chunk under a fresh query string: the same file, a new module-map entry; its own imports
 * still resolve to the modules the app already has. Throws {@link ChunkLoadError} at the end.
 */
export async function importWithRetries<M>(
  load: () => Promise<M>,
  options: ImportRetryOptions = {},
): Promise<M> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const importUrl = options.importUrl ?? ((url) => import(/* @vite-ignore */ url));
  const backoff = { baseMs: 500, maxMs: 4_000, random: options.random ?? Math.random };
  let url: string | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1, backoff));
    try {
      if (attempt > 0 && url) {
        retriesSoFar += 1;
        return (await importUrl(retryUrl(url, retriesSoFar))) as M;
      }
      return await load();
    } catch (error) {
      lastError = error;
      url ??= failedChunkUrl(error);
    }
  }
  throw new ChunkLoadError(url, { cause: lastError });
}

/**
 * Loads a lazily loaded part of the app: first its files into the HTTP cache with retries
 * (`prefetchChunk`, which is what makes a dropped download recoverable), then the module itself
 * ({@link importWithRetries}). Throws {@link ChunkLoadError}.
 */
export async function loadChunk<M>(manifestKey: string, load: () => Promise<M>): Promise<M> {
  try {
    await prefetchChunk(manifestKey);
  } catch (error) {
    throw new ChunkLoadError(
      error instanceof AssetMissingError ? new URL(error.url, window.location.href).href : undefined,
      {
        cause: error,
      },
    );
  }
  return importWithRetries(load);
}

/**
 * A `React.lazy` component loaded by {@link loadChunk}, which can be renewed after a final
 * failure: React caches a lazy component's rejection, so "Try again" needs a new one.
 * `manifestKey` is the module's path from apps/web, as Vite's manifest names it.
 */
export function retryingLazy<M, P extends object>(
  manifestKey: string,
  load: () => Promise<M>,
  pick: (module: M) => React.ComponentType<P>,
): { readonly Component: React.LazyExoticComponent<React.ComponentType<P>>; renew(): void } {
  const create = () => lazy(async () => ({ default: pick(await loadChunk(manifestKey, load)) }));
  let component = create();
  return {
    get Component() {
      return component;
    },
    renew() {
      component = create();
    },
  };
}
