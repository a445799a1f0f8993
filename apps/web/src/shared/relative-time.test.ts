import { describe, expect, it } from 'vitest';
import { describePastTime, exactTime } from './relative-time';

const now = Date.parse('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const utc = { timeZone: 'UTC' };

describe('describePastTime', () => {
  it('says "Never" for what never happened', () => {
    expect(describePastTime(null, now)).toBe('Never');
  });

  it('speaks relatively for the last week', () => {
    expect(describePastTime(ago(5_000), now)).toBe('Just now');
    expect(describePastTime(ago(5 * 60_000), now)).toBe('5 minutes ago');
    expect(describePastTime(ago(3 * 3_600_000), now)).toBe('3 hours ago');
    expect(describePastTime(ago(30 * 3_600_000), now)).toBe('yesterday');
    expect(describePastTime(ago(4 * 86_400_000), now)).toBe('4 days ago');
  });

  it('shows a date once older than a week, and never the future', () => {
    expect(describePastTime('2026-01-02T08:00:00Z', now, utc)).toBe('Jan 2, 2026');
    expect(describePastTime(new Date(now + 3_000).toISOString(), now)).toBe('Just now');
    expect(describePastTime('not a date', now)).toBe('Unknown');
  });
});

describe('exactTime', () => {
  it('gives the exact time for tooltips', () => {
    // ICU puts a narrow no-break space before "AM" in newer releases.
    expect(exactTime('2026-01-02T08:05:00Z', utc)).toMatch(/^Jan 2, 2026, 8:05\sAM$/);
  });
});
