/** ISO 8601 text of a clock reading, the format every timestamp in the API uses. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
