import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-error';
import { request } from './http';

/** A fetch that fails without an answer `failures` times, then answers `{"ok":true}`. */
function flakyFetch(failures: number) {
  let calls = 0;
  const fetch = vi.fn(async () => {
    calls += 1;
    if (calls <= failures) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({ ok: true }), { status: 200 });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const schema = { parse: (data: unknown) => data as { ok: boolean } };

describe('request', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('tries a read again after it failed without an answer (ERR_NETWORK_CHANGED)', async () => {
    vi.useFakeTimers();
    const fetch = flakyFetch(2);
    const result = request('GET', '/api/studios', { schema });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual({ ok: true });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('gives up on a read with a network error after three retries', async () => {
    vi.useFakeTimers();
    const fetch = flakyFetch(10);
    const result = request('GET', '/api/studios', { schema });
    const settled = result.catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    const error = await settled;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('network');
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('never repeats a write: the server may have done it', async () => {
    const fetch = flakyFetch(1);
    await expect(request('POST', '/api/studios', { body: { name: 'x' } })).rejects.toMatchObject({
      code: 'network',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
