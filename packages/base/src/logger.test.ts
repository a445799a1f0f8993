import { describe, expect, it } from 'vitest';
import { silentLogger } from './logger';

describe('silentLogger', () => {
  it('accepts every level and its children are silent too', () => {
    for (const log of [silentLogger, silentLogger.child({ feature: 'test' })]) {
      expect(() => {
        log.debug('d', { a: 1 });
        log.info('i');
        log.warn('w');
        log.error('e', { error: 'x' });
      }).not.toThrow();
    }
    expect(silentLogger.child({})).toBe(silentLogger);
  });
});
