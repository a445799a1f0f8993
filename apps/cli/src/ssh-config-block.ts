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
 * `existing` with the block for `hostAlias` set to `sshConfig`. The block replaces, in place, the
 * earlier block of that alias or, when `studioUser` is given, of the same Studio under an older
 * alias (the alias follows the Studio's name); further such blocks are removed. Otherwise it is
 * appended after a blank line. Appending is what keeps the user's file intact: lines before the
 * first `Host` apply to every host, so a block put first would capture them. Idempotent: merging
 * the same block twice changes nothing the second time.
 */
export function mergeBlock(
  existing: string,
  hostAlias: string,
  sshConfig: string,
  studioUser?: string,
): string {
  const eol = lineEndingOf(existing);
  const block = renderBlock(hostAlias, sshConfig, eol);
  const user =
    studioUser === undefined ? undefined : new RegExp(`^\\s*User\\s+${escapeRegExp(studioUser)}\\s*$`, 'im');
  const ours = listBlocks(existing).filter(
    (found) => found.alias === hostAlias || user?.test(existing.slice(found.start, found.end)) === true,
  );
  const [first, ...stale] = ours;
  if (first) {
    let text = existing;
    // From the end, so earlier offsets stay valid; a stale block goes with the blank line before it.
    for (const found of stale.reverse()) {
      const start = text.slice(0, found.start).endsWith(`${eol}${eol}`)
        ? found.start - eol.length
        : found.start;
      text = text.slice(0, start) + text.slice(found.end);
    }
    return text.slice(0, first.start) + block + text.slice(first.end);
  }
  if (existing === '') return block;
  if (!existing.endsWith('\n')) return existing + eol + eol + block;
  const endsWithBlankLine = /(^|\n)\r?\n$/.test(existing);
  return existing + (endsWithBlankLine ? '' : eol) + block;
}

/** A Studios block in an ssh config: its alias and where it is, end marker line included. */
export interface FoundBlock {
  alias: string;
  start: number;
  end: number;
}

/** Every Studios block of `text`, in order. A start marker without its end is refused. */
export function listBlocks(text: string): FoundBlock[] {
  const blocks: FoundBlock[] = [];
  let open: { alias: string; start: number } | undefined;
  for (const line of text.matchAll(/[^\n]*(\n|$)/g)) {
    if (line[0] === '' && line.index === text.length) break;
    const content = line[0].replace(/\r?\n$/, '').trimEnd();
    if (open === undefined) {
      const alias = /^# >>> studios (\S+) >>>$/.exec(content)?.[1];
      if (alias !== undefined) open = { alias, start: line.index };
    } else if (content === blockMarkers(open.alias).end) {
      blocks.push({ ...open, end: line.index + line[0].length });
      open = undefined;
    }
  }
  if (open !== undefined) {
    const { start, end } = blockMarkers(open.alias);
    throw new CliError(`the ssh config has '${start}' without '${end}': fix the file by hand`);
  }
  return blocks;
}

/** Where the block for `hostAlias` is, if the file has one. */
export function findBlock(text: string, hostAlias: string): FoundBlock | undefined {
  return listBlocks(text).find((found) => found.alias === hostAlias);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
