import { describe, expect, it } from 'vitest';
import { compareRounds, standaloneMetric } from './metrics';

describe('compareRounds', () => {
  const rounds = {
    subject: [{ ms: 10 }, { ms: 12 }, { ms: 30 }],
    peer: [{ ms: 10 }, { ms: 10 }, { ms: 20 }],
  };

  it('reports medians per side and the paired ratio', () => {
    const [line] = compareRounds('S9', 'case', { subject: 'studios', peer: 'stock' }, rounds, [
      { metric: 'latency', unit: 'ms', pick: (sample) => sample.ms },
    ]);
    expect(line?.subject.median).toBe(12);
    expect(line?.peer?.median).toBe(10);
    expect(line?.ratio).toEqual({ median: 1.2, min: 1, max: 1.5 });
    expect(line?.verdict).toBe('info');
  });

  it('fails a ratio goal by the median, not the best round', () => {
    const [line] = compareRounds('S9', 'case', { subject: 'studios', peer: 'stock' }, rounds, [
      { metric: 'latency', unit: 'ms', pick: (sample) => sample.ms, goal: { text: '≤ 1.1×', maxRatio: 1.1 } },
    ]);
    expect(line?.verdict).toBe('fail');
  });

  it('checks an absolute bound on the subject as well as the ratio', () => {
    const [line] = compareRounds('S9', 'case', { subject: 'studios', peer: 'stock' }, rounds, [
      {
        metric: 'latency',
        unit: 'ms',
        pick: (sample) => sample.ms,
        goal: { text: '≤ 1.5× and < 11 ms', maxRatio: 1.5, maxSubject: 11 },
      },
    ]);
    expect(line?.verdict).toBe('fail');
  });
});

describe('standaloneMetric', () => {
  it('judges a signed drift by its magnitude', () => {
    const goal = { text: '±5%', maxAbsSubject: 5 };
    expect(standaloneMetric('S4', 'v', 'rss', '%', { name: 'a', values: [-4.9] }, goal).verdict).toBe('pass');
    expect(standaloneMetric('S4', 'v', 'rss', '%', { name: 'a', values: [6] }, goal).verdict).toBe('fail');
  });

  it('fails a goal whose figure could not be measured', () => {
    const goal = { text: '±5%', maxAbsSubject: 5 };
    expect(standaloneMetric('S4', 'v', 'rss', '%', { name: 'a', values: [] }, goal).verdict).toBe('fail');
  });
});
