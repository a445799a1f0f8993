const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface TimeFormatOptions {
  locale?: string;
  /** Only for tests: dates older than a week are shown in the viewer's zone otherwise. */
  timeZone?: string;
}

/**
 * When something happened (a token or key was created or last used, an SSH session opened), as
 * people say it: "Just now", "5 minutes ago", "yesterday", then a plain date once it is more than
 * a week old; `null` is "Never".
 */
export function describePastTime(iso: string | null, now: number, options: TimeFormatOptions = {}): string {
  if (iso === null) return 'Never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'Unknown';
  const { locale = 'en', timeZone } = options;
  // A clock a little behind the server's must not print "in 2 seconds".
  const elapsed = Math.max(0, now - at);
  if (elapsed < MINUTE_MS) return 'Just now';
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (elapsed < HOUR_MS) return relative.format(-Math.floor(elapsed / MINUTE_MS), 'minute');
  if (elapsed < DAY_MS) return relative.format(-Math.floor(elapsed / HOUR_MS), 'hour');
  if (elapsed < 7 * DAY_MS) return relative.format(-Math.floor(elapsed / DAY_MS), 'day');
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(at);
}

/** The exact moment, for a tooltip beside the friendly wording. */
export function exactTime(iso: string, options: TimeFormatOptions = {}): string {
  const { locale = 'en', timeZone } = options;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
