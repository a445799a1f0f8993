import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes ids that are valid Docker names and DNS labels, and unique', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newId();
      expect(id).toMatch(/^[0-9a-z]{25}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });
});
