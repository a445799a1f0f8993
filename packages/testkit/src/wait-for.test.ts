import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value, treating throws and falsy values as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(() => {
      calls += 1;
      if (calls === 1) throw new Error('not ready');
      return calls === 2 ? 0 : { calls };
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('times out naming what it waited for and the last error', async () => {
    const failure = waitFor(
      () => {
        throw new Error('port closed');
      },
      { timeoutMs: 30, intervalMs: 5, what: 'the server' },
    );
    await expect(failure).rejects.toThrow(
      'Timed out after 30 ms waiting for the server (last error: port closed)',
    );
    await expect(failure).rejects.toMatchObject({ cause: new Error('port closed') });
  });

  it('times out with the last value when the probe never threw', async () => {
    await expect(waitFor(() => '', { timeoutMs: 10, intervalMs: 5 })).rejects.toThrow(
      "Timed out after 10 ms waiting for condition (last result: '')",
    );
  });

  it('probes at least once even with a zero timeout', async () => {
    await expect(waitFor(() => 'ready', { timeoutMs: 0 })).resolves.toBe('ready');
  });
});
