import { describe, expect, it } from 'vitest';
import { unrefTimer } from './host';

describe('unrefTimer', () => {
  it("unrefs a handle that can be unref'd (Node) and ignores one that cannot (browsers)", () => {
    let unrefs = 0;
    const nodeLike = {
      unref() {
        unrefs++;
        return this;
      },
    };
    unrefTimer(nodeLike);
    expect(() => unrefTimer(42)).not.toThrow();
    expect(() => unrefTimer({ unref: 'not a function' })).not.toThrow();
    expect(unrefs).toBe(1);
  });
});
