/** Colours readable on both themes, each with white text on top. */
export const USER_COLORS = [
  '#e5484d',
  '#f76b15',
  '#d6a100',
  '#46a758',
  '#12a594',
  '#0090ff',
  '#3e63dd',
  '#6e56cf',
  '#8e4ec6',
  '#d6409f',
  '#e54666',
  '#0d74ce',
] as const;

/** FNV-1a: a small, stable string hash (the same id gives the same colour in every browser). */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index += 1) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The colour of a user's avatar, cursor and selection, derived from their id. */
export function colorForUser(userId: string): string {
  return USER_COLORS[hashString(userId) % USER_COLORS.length] ?? USER_COLORS[0];
}

/** `#rrggbb` plus an alpha channel, for selection highlights. */
export function translucent(hexColor: string, alpha: number): string {
  const byte = Math.round(Math.min(1, Math.max(0, alpha)) * 255);
  return `${hexColor.slice(0, 7)}${byte.toString(16).padStart(2, '0')}`;
}
