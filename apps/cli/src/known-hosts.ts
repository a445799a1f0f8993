/** Adding the gateway's host key to `~/.ssh/known_hosts` without ever duplicating it. */

export type KnownHostResult =
  | { status: 'added'; text: string }
  | { status: 'present' }
  /** The file pins a different key of the same type for the host: ssh would warn of a change. */
  | { status: 'conflict'; host: string };

interface Entry {
  hosts: string[];
  type: string;
  key: string;
}

function parseEntry(line: string): Entry | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return undefined;
  // `@cert-authority` and `@revoked` lines say something else than "this is the host's key".
  if (fields[0].startsWith('@') || fields.length < 3) return undefined;
  return { hosts: fields[0].split(','), type: fields[1] as string, key: fields[2] as string };
}

/**
 * `existing` with `line` (`<host> <type> <base64>`) appended, unless an entry for one of its
 * hosts already holds that key (comments and other host names on the entry do not matter).
 * Appends with the file's own line ending, after a line break if the file lacks a final one.
 */
export function addKnownHost(existing: string, line: string): KnownHostResult {
  const wanted = parseEntry(line);
  if (!wanted) throw new Error(`not a known_hosts line: ${line}`);
  let conflict: string | undefined;
  for (const current of existing.split('\n').map(parseEntry)) {
    if (!current || current.type !== wanted.type) continue;
    const host = current.hosts.find((name) => wanted.hosts.includes(name));
    if (host === undefined) continue;
    if (current.key === wanted.key) return { status: 'present' };
    conflict = host;
  }
  if (conflict !== undefined) return { status: 'conflict', host: conflict };
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const separator = existing === '' || existing.endsWith('\n') ? '' : eol;
  return { status: 'added', text: `${existing}${separator}${line.trim()}${eol}` };
}
