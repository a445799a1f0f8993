import type { TerminalAttachee, TerminalInfo } from '@studios/protocol';

/** A terminal as its tab shows it: the server's info plus what its socket has told us since. */
export interface TerminalTab {
  info: TerminalInfo;
  attached: TerminalAttachee[];
  /** The title the shell set (OSC 0/2), shown after the name. */
  title: string | null;
  exited: number | null;
}

export const toTab = (info: TerminalInfo): TerminalTab => ({
  info,
  attached: info.attached,
  title: null,
  exited: info.exitCode,
});

/**
 * The tabs for the Studio's current terminal list (a `terminals` event): the server's order,
 * names and attached users, keeping what only this page knows (the shell's title) and an exit
 * its socket reported first.
 */
export function followTerminalList(
  tabs: readonly TerminalTab[],
  list: readonly TerminalInfo[],
): TerminalTab[] {
  const known = new Map(tabs.map((tab) => [tab.info.id, tab]));
  return list.map((info) => {
    const tab = known.get(info.id);
    if (!tab) return toTab(info);
    return { ...tab, info, attached: info.attached, exited: info.exitCode ?? tab.exited };
  });
}

/**
 * Which tab to show once the tabs changed from `before` to `after`: the active one while it is
 * still there, else its nearest remaining neighbour (the next one, or the previous at the end).
 */
export function nextActiveTab(
  before: readonly string[],
  after: readonly string[],
  activeId: string | null,
): string | null {
  if (activeId !== null && after.includes(activeId)) return activeId;
  const index = activeId === null ? -1 : before.indexOf(activeId);
  if (index >= 0) {
    const remaining = new Set(after);
    const next = before.slice(index + 1).find((id) => remaining.has(id));
    const previous = before
      .slice(0, index)
      .reverse()
      .find((id) => remaining.has(id));
    const neighbour = next ?? previous;
    if (neighbour !== undefined) return neighbour;
  }
  return after[0] ?? null;
}
