import { describe, expect, it } from 'vitest';
import { ChunkLoadError, failedChunkUrl, importWithRetries, retryUrl } from './chunk-retry';

const CHUNK = 'http://127.0.0.1:8080/assets/TerminalPanel-C3NIWCkq.js';
const chromiumFailure = () => new TypeError(`Failed to fetch dynamically imported module: ${CHUNK}`);

describe('importWithRetries', () => {
  it('imports the failed chunk again under a fresh query, with backoff, and returns it', async () => {
    const pauses: number[] = [];
    const imported: string[] = [];
    let loads = 0;
    const module = await importWithRetries(
      async () => {
        loads += 1;
        throw chromiumFailure();
      },
      {
        sleep: async (ms) => {
          pauses.push(ms);
        },
        random: () => 0,
        importUrl: async (url) => {
          imported.push(url);
          if (imported.length < 2) throw chromiumFailure();
          return { TerminalPanel: 'component' };
        },
      },
    );
    expect(module).toEqual({ TerminalPanel: 'component' });
    expect(loads).toBe(1);
    // Every retry URL is new, across calls too: the browser remembers each failed one.
    expect(new Set(imported).size).toBe(2);
    expect(imported.every((url) => /\?retry=\d+$/.test(url) && url.startsWith(CHUNK))).toBe(true);
    expect(pauses).toEqual([250, 500]);
  });

  it('calls the loader again when the browser did not name the chunk', async () => {
    let loads = 0;
    const module = await importWithRetries(
      async () => {
        loads += 1;
        if (loads < 3) throw new TypeError('Importing a module script failed.');
        return 'loaded';
      },
      { sleep: async () => {} },
    );
    expect(module).toBe('loaded');
    expect(loads).toBe(3);
  });

  it('ends with a ChunkLoadError naming the chunk after the last try', async () => {
    const error = await importWithRetries(
      async () => {
        throw chromiumFailure();
      },
      { attempts: 3, sleep: async () => {}, importUrl: async () => Promise.reject(chromiumFailure()) },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChunkLoadError);
    expect((error as ChunkLoadError).url).toBe(CHUNK);
  });
});

describe('chunk URLs', () => {
  it('reads the chunk from Chromium and Firefox messages, and nothing from others', () => {
    expect(failedChunkUrl(chromiumFailure())).toBe(CHUNK);
    expect(failedChunkUrl(new TypeError(`error loading dynamically imported module: ${CHUNK}`))).toBe(CHUNK);
    expect(failedChunkUrl(new TypeError('Importing a module script failed.'))).toBeUndefined();
    expect(failedChunkUrl('not an error')).toBeUndefined();
  });

  it('keeps the path and replaces an earlier retry number', () => {
    expect(retryUrl(`${CHUNK}?retry=1`, 2)).toBe(`${CHUNK}?retry=2`);
  });
});
