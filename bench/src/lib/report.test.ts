import { describe, expect, it } from 'vitest';
import type { MetricResult } from './metrics';
import { renderMarkdownTable } from './report';

describe('renderMarkdownTable', () => {
  it('prints medians, the ratio as median [min–max] and the verdict', () => {
    const line: MetricResult = {
      scenario: 'S2',
      variant: '1 doc × 50 clients',
      metric: 'typing p99',
      unit: 'ms',
      subject: { name: 'studios', values: [4, 5], median: 4.5 },
      peer: { name: 'stock', values: [4, 4], median: 4 },
      ratio: { median: 1.125, min: 1, max: 1.25 },
      goal: { text: '≤ 1.1×', maxRatio: 1.1 },
      verdict: 'fail',
    };
    const row = renderMarkdownTable([line]).split('\n')[2] ?? '';
    expect(row.split('|').map((text) => text.trim())).toEqual([
      '',
      'S2',
      '1 doc × 50 clients',
      'typing p99',
      '4.50 ms',
      '4.00 ms (stock)',
      '1.13× [1.00×–1.25×]',
      '≤ 1.1×',
      '**FAIL**',
      '',
    ]);
  });

  it('pads every column to one width', () => {
    const lines = renderMarkdownTable([]).split('\n');
    expect(lines).toEqual([
      '| Scenario | Case | Metric | Studios (median) | Peer (median) | Ratio median [min–max] | Goal | Verdict |',
      '| -------- | ---- | ------ | ---------------- | ------------- | ---------------------- | ---- | ------- |',
    ]);
  });
});
