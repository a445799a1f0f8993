/** What the page shows for a token's visible start: `stu_abcd…`, never mistaken for the whole token. */
export function tokenPrefixLabel(prefix: string): string {
  return `${prefix}…`;
}

/** A shell command that lists the caller's Studios with `token`, for the page's usage example. */
export function curlExample(origin: string, token: string): string {
  return `curl -H "Authorization: Bearer ${token}" ${origin}/api/studios`;
}
