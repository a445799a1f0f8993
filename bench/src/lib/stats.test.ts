import { describe, expect, it } from 'vitest';
import { distribution, median, pairedRatios, quantileOfSorted } from './stats';

describe('quantileOfSorted', () => {
  it('interpolates between the nearest ranks', () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([10, 20], 0.25)).toBe(12.5);
    expect(quantileOfSorted([5], 0.99)).toBe(5);
  });

  it('returns NaN for no samples', () => {
    expect(quantileOfSorted([], 0.5)).toBeNaN();
  });
});

describe('distribution', () => {
  it('summarises unsorted samples', () => {
    const summary = distribution([3, 1, 2, 100, 4]);
    expect(summary).toMatchObject({ count: 5, min: 1, p50: 3, max: 100, mean: 22 });
    expect(summary.p99).toBeCloseTo(96.16, 2);
  });

  it('ignores NaN samples', () => {
    expect(median([Number.NaN, 7, 9])).toBe(8);
  });
});

describe('pairedRatios', () => {
  it('divides round i of the subject by round i of the peer', () => {
    expect(pairedRatios([2, 3, 8], [1, 3, 4])).toEqual({ median: 2, min: 1, max: 2 });
  });

  it('skips rounds where the peer measured zero', () => {
    expect(pairedRatios([1, 5], [0, 10])).toEqual({ median: 0.5, min: 0.5, max: 0.5 });
  });
});
