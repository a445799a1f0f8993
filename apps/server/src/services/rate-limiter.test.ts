import { FakeClock } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { FailureRateLimiter } from './rate-limiter';

const MINUTE = 60_000;

describe('FailureRateLimiter', () => {
  it('refuses after the maximum failures and allows again when the window passes', () => {
    const clock = new FakeClock();
    const limiter = new FailureRateLimiter({ maxFailures: 3, windowMs: 15 * MINUTE, clock });
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('a@example.com|1.2.3.4')).toEqual({ allowed: true });
      limiter.recordFailure('a@example.com|1.2.3.4');
      clock.advance(MINUTE);
    }
    // First failure was at t=0; it expires at 15 min, now is 3 min.
    expect(limiter.check('a@example.com|1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 12 * 60 });
    clock.advance(12 * MINUTE - 1);
    expect(limiter.check('a@example.com|1.2.3.4').allowed).toBe(false);
    clock.advance(1);
    expect(limiter.check('a@example.com|1.2.3.4')).toEqual({ allowed: true });
  });

  it('keeps keys apart and forgets a key on reset', () => {
    const clock = new FakeClock();
    const limiter = new FailureRateLimiter({ maxFailures: 1, windowMs: MINUTE, clock });
    limiter.recordFailure('a');
    expect(limiter.check('a').allowed).toBe(false);
    expect(limiter.check('b').allowed).toBe(true);
    limiter.reset('a');
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('bounds memory by forgetting the oldest keys', () => {
    const clock = new FakeClock();
    const limiter = new FailureRateLimiter({ maxFailures: 1, windowMs: MINUTE, clock, maxKeys: 2 });
    limiter.recordFailure('first');
    limiter.recordFailure('second');
    limiter.recordFailure('third');
    expect(limiter.check('first').allowed).toBe(true);
    expect(limiter.check('second').allowed).toBe(false);
    expect(limiter.check('third').allowed).toBe(false);
  });
});
