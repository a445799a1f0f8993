import { describe, expect, it } from 'vitest';
import { curlExample, describeTokenTime, exactTime, tokenPrefixLabel } from './token-text';

const now = Date.parse('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();
const utc = { timeZone: 'UTC' };

describe('describeTokenTime', () => {
  it('says "Never" for a token that was never used', () => {
    expect(describeTokenTime(null, now)).toBe('Never');
  });

  it('speaks relatively for the last week', () => {
    expect(describeTokenTime(ago(5_000), now)).toBe('Just now');
    expect(describeTokenTime(ago(5 * 60_000), now)).toBe('5 minutes ago');
    expect(describeTokenTime(ago(3 * 3_600_000), now)).toBe('3 hours ago');
    expect(describeTokenTime(ago(30 * 3_600_000), now)).toBe('yesterday');
    expect(describeTokenTime(ago(4 * 86_400_000), now)).toBe('4 days ago');
  });

  it('shows a date once older than a week, and never the future', () => {
    expect(describeTokenTime('2026-01-02T08:00:00Z', now, utc)).toBe('Jan 2, 2026');
    expect(describeTokenTime(new Date(now + 3_000).toISOString(), now)).toBe('Just now');
    expect(describeTokenTime('not a date', now)).toBe('Unknown');
  });
});

describe('token text', () => {
  it('marks the prefix as the start of a longer secret', () => {
    expect(tokenPrefixLabel('stu_abcdef')).toBe('stu_abcdef…');
  });

  it('builds a curl command against the origin', () => {
    expect(curlExample('https://studios.example', 'stu_x')).toBe(
      'curl -H "Authorization: Bearer stu_x" https://studios.example/api/studios',
    );
  });

  it('gives the exact time for tooltips', () => {
    // ICU puts a narrow no-break space before "AM" in newer releases.
    expect(exactTime('2026-01-02T08:05:00Z', utc)).toMatch(/^Jan 2, 2026, 8:05\sAM$/);
  });
});
