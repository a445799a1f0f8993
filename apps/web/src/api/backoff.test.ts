import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles up to the cap with jitter in the upper half', () => {
    const options = { baseMs: 500, maxMs: 4000, random: () => 0 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, options))).toEqual([
      250, 500, 1000, 2000, 2000, 2000,
    ]);
    expect(backoffDelay(2, { ...options, random: () => 0.999999 })).toBe(2000);
  });
});
