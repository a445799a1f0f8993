import { describe, expect, it } from 'vitest';
import { ptySizeFor } from './pty-size-policy';

describe('ptySizeFor', () => {
  const current = { cols: 80, rows: 24 };

  it('takes the smallest width and height among writers, independently', () => {
    const clients = [
      { canWrite: true, size: { cols: 120, rows: 30 } },
      { canWrite: true, size: { cols: 100, rows: 50 } },
    ];
    expect(ptySizeFor(clients, current)).toEqual({ cols: 100, rows: 30 });
  });

  it('ignores viewers and writers that have not reported a size', () => {
    const clients = [
      { canWrite: false, size: { cols: 20, rows: 5 } },
      { canWrite: true, size: undefined },
      { canWrite: true, size: { cols: 132, rows: 43 } },
    ];
    expect(ptySizeFor(clients, current)).toEqual({ cols: 132, rows: 43 });
  });

  it('keeps the current size when no writer has a size', () => {
    expect(ptySizeFor([{ canWrite: false, size: { cols: 20, rows: 5 } }], current)).toBe(current);
  });
});
