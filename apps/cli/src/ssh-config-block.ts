import { CliError } from './cli-error';

/**
 * The Studios part of `~/.ssh/config`: one block per Studio between marker comments, so running
 * `studios ssh-config` again replaces that block and leaves every other byte of the file alone.
 */

/** The comment lines around the block of the Studio whose `Host` alias is `hostAlias`. */
export function blockMarkers(hostAlias: string): { start: string; end: string } {
  return { start: `# >>> studios ${hostAlias} >>>`, end: `# <<< studios ${hostAlias} <<<` };
}

/** The line ending a file already uses (CRLF if any line has one), so added lines match it. */
export function lineEndingOf(text: string): '\n' | '\r\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The block as written: markers around `sshConfig`, every line ended with `eol`. */
export function renderBlock(hostAlias: string, sshConfig: string, eol: '\n' | '\r\n'): string {
  const { start, end } = blockMarkers(hostAlias);
  const body = sshConfig.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  return [start, ...body, end].join(eol) + eol;
}

/**
 * `existing` with the block for `hostAlias` set to `sshConfig`: an existing block is replaced in
 * place, otherwise the block is appended after a blank line. Appending is what keeps the user's
 * file intact: lines before the first `Host` apply to every host, so a block put first would
 * capture them. Idempotent: merging the same block twice changes nothing the second time.
 */
export function mergeBlock(existing: string, hostAlias: string, sshConfig: string): string {
  const eol = lineEndingOf(existing);
  const block = renderBlock(hostAlias, sshConfig, eol);
  const found = findBlock(existing, hostAlias);
  if (found) return existing.slice(0, found.start) + block + existing.slice(found.end);
  if (existing === '') return block;
  if (!existing.endsWith('\n')) return existing + eol + eol + block;
  const endsWithBlankLine = /(^|\n)\r?\n$/.test(existing);
  return existing + (endsWithBlankLine ? '' : eol) + block;
}

/** Where the block for `hostAlias` is: from its start marker to the end of its end marker's line. */
export function findBlock(text: string, hostAlias: string): { start: number; end: number } | undefined {
  const { start: startMarker, end: endMarker } = blockMarkers(hostAlias);
  let blockStart: number | undefined;
  for (const line of text.matchAll(/[^\n]*(\n|$)/g)) {
    if (line[0] === '' && line.index === text.length) break;
    const content = line[0].replace(/\r?\n$/, '').trimEnd();
    if (blockStart === undefined && content === startMarker) blockStart = line.index;
    else if (blockStart !== undefined && content === endMarker) {
      return { start: blockStart, end: line.index + line[0].length };
    }
  }
  if (blockStart !== undefined) {
    throw new CliError(`the ssh config has '${startMarker}' without '${endMarker}': fix the file by hand`);
  }
  return undefined;
}

/**
 * `sshConfig` with its `IdentityFile` set to `identityPath` (the server's block holds a
 * placeholder). Added after the `Host` line when the block has none; later ones are dropped.
 */
export function withIdentityFile(sshConfig: string, identityPath: string): string {
  const lines = sshConfig.split('\n');
  const value = sshConfigValue(identityPath);
  const keyword = /^(\s*)IdentityFile(\s*=\s*|\s+)/i;
  const first = lines.findIndex((line) => keyword.test(line));
  if (first === -1) {
    const host = lines.findIndex((line) => /^\s*Host\s/i.test(line));
    lines.splice(host + 1, 0, `  IdentityFile ${value}`);
    return lines.join('\n');
  }
  const indent = keyword.exec(lines[first] as string)?.[1] ?? '  ';
  const cr = (lines[first] as string).endsWith('\r') ? '\r' : '';
  lines[first] = `${indent}IdentityFile ${value}${cr}`;
  return lines.filter((line, index) => index <= first || !keyword.test(line)).join('\n');
}

/**
 * A path as an ssh_config argument: `%` doubled (ssh expands `%d`, `%u`… in IdentityFile) and
 * quoted when it holds whitespace. Absolute, never `~`: ssh expands `~` from the password
 * database, not `$HOME`.
 */
export function sshConfigValue(path: string): string {
  const escaped = path.replace(/%/g, '%%');
  return /[\s"]/.test(escaped) ? `"${escaped}"` : escaped;
}
