import type { SshSessionInfo } from '@studios/protocol';
import type { PresentUser } from '../../shared/presence-store';
import { describePastTime } from '../../shared/relative-time';

/** Everyone connected as one person, with each of their SSH connections. */
export interface SshPresence {
  userId: string;
  name: string;
  sessions: SshSessionInfo[];
}

/** One avatar in the header: someone in the browser, over SSH, or both. */
export interface PresenceEntry {
  id: string;
  name: string;
  /** Their state in the open documents, when they are in the browser too. */
  web: PresentUser | null;
  ssh: SshPresence | null;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Open channels in words: "2 shells, 1 command, 1 SFTP session, 3 port forwards". */
export function describeSshChannels(channels: SshSessionInfo['channels']): string {
  const parts = [
    channels.shell > 0 ? count(channels.shell, 'shell', 'shells') : '',
    channels.exec > 0 ? count(channels.exec, 'command', 'commands') : '',
    channels.sftp > 0 ? count(channels.sftp, 'SFTP session', 'SFTP sessions') : '',
    channels.forward > 0 ? count(channels.forward, 'port forward', 'port forwards') : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no open channels';
}

/** "connected 5 minutes ago", "connected yesterday", "connected since Jan 2, 2026". */
export function describeConnectedSince(iso: string, now: number): string {
  const when = describePastTime(iso, now);
  // Past a week describePastTime gives a date, which reads as "since"; before, a relative time.
  if (now - Date.parse(iso) >= WEEK_MS) return `connected since ${when}`;
  return `connected ${when.charAt(0).toLowerCase()}${when.slice(1)}`;
}

/** One connection on one line: client, since when, and what it has open. */
export function describeSshSession(session: SshSessionInfo, now: number): string {
  const client = session.client.trim() || 'Unknown SSH client';
  return `${client} · ${describeConnectedSince(session.connectedAt, now)} · ${describeSshChannels(session.channels)}`;
}

/** The tooltip of someone's avatar: who, then one line per SSH connection. */
export function describeSshPresence(presence: SshPresence, now: number): string {
  const heading = `${presence.name} — over SSH${presence.sessions.length > 1 ? ` (${presence.sessions.length} connections)` : ''}`;
  return [heading, ...presence.sessions.map((session) => describeSshSession(session, now))].join('\n');
}

/** SSH connections grouped by person, oldest connection first within each. */
export function groupSshSessions(sessions: readonly SshSessionInfo[]): SshPresence[] {
  const byUser = new Map<string, SshPresence>();
  for (const session of sessions) {
    const known = byUser.get(session.userId);
    if (known) known.sessions.push(session);
    else byUser.set(session.userId, { userId: session.userId, name: session.name, sessions: [session] });
  }
  for (const presence of byUser.values()) {
    presence.sessions.sort((a, b) => a.connectedAt.localeCompare(b.connectedAt));
  }
  return [...byUser.values()];
}

/**
 * The header's list: people in the browser in their usual order (self first), each marked when
 * they are also connected over SSH, then people connected only over SSH, by name.
 */
export function mergePresenceWithSsh(
  web: readonly PresentUser[],
  sessions: readonly SshSessionInfo[],
): PresenceEntry[] {
  const ssh = new Map(groupSshSessions(sessions).map((presence) => [presence.userId, presence]));
  const entries: PresenceEntry[] = web.map((person) => ({
    id: person.id,
    name: person.name,
    web: person,
    ssh: ssh.get(person.id) ?? null,
  }));
  const sshOnly = [...ssh.values()]
    .filter((presence) => !web.some((person) => person.id === presence.userId))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((presence) => ({ id: presence.userId, name: presence.name, web: null, ssh: presence }));
  return [...entries, ...sshOnly];
}
