import type { SshSessionInfo } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import type { PresentUser } from '../../shared/presence-store';
import {
  describeConnectedSince,
  describeSshChannels,
  describeSshPresence,
  describeSshSession,
  groupSshSessions,
  mergePresenceWithSsh,
} from './ssh-presence';

const now = Date.parse('2026-03-10T12:00:00Z');
const none = { shell: 0, exec: 0, sftp: 0, forward: 0 };

function session(overrides: Partial<SshSessionInfo> = {}): SshSessionInfo {
  return {
    id: 'c1',
    userId: 'u1',
    name: 'Ada Lovelace',
    client: 'OpenSSH_9.2p1 Debian-2+deb12u3',
    connectedAt: '2026-03-10T11:55:00Z',
    channels: { shell: 1, exec: 0, sftp: 0, forward: 0 },
    ...overrides,
  };
}

function webUser(id: string, name: string, isSelf = false): PresentUser {
  return { id, name, color: '#336699', isSelf };
}

describe('describeSshChannels', () => {
  it('counts each kind, leaving out what is not open', () => {
    expect(describeSshChannels({ shell: 2, exec: 1, sftp: 1, forward: 3 })).toBe(
      '2 shells, 1 command, 1 SFTP session, 3 port forwards',
    );
    expect(describeSshChannels({ ...none, exec: 4 })).toBe('4 commands');
    expect(describeSshChannels(none)).toBe('no open channels');
  });
});

describe('describeConnectedSince', () => {
  it('reads naturally for recent and old connections', () => {
    expect(describeConnectedSince('2026-03-10T11:59:50Z', now)).toBe('connected just now');
    expect(describeConnectedSince('2026-03-10T11:55:00Z', now)).toBe('connected 5 minutes ago');
    expect(describeConnectedSince('2026-03-09T06:00:00Z', now)).toBe('connected yesterday');
    expect(describeConnectedSince('2026-01-02T08:00:00Z', now)).toMatch(/^connected since Jan 2, 2026$/);
  });
});

describe('describeSshSession and describeSshPresence', () => {
  it('puts client, time and channels on one line per connection', () => {
    expect(describeSshSession(session(), now)).toBe(
      'OpenSSH_9.2p1 Debian-2+deb12u3 · connected 5 minutes ago · 1 shell',
    );
    expect(describeSshSession(session({ client: ' ' }), now)).toMatch(/^Unknown SSH client · /);
  });

  it('heads the tooltip with the name and the number of connections', () => {
    const [ada] = groupSshSessions([session(), session({ id: 'c2', channels: { ...none, sftp: 1 } })]);
    expect(ada && describeSshPresence(ada, now).split('\n')).toEqual([
      'Ada Lovelace — over SSH (2 connections)',
      'OpenSSH_9.2p1 Debian-2+deb12u3 · connected 5 minutes ago · 1 shell',
      'OpenSSH_9.2p1 Debian-2+deb12u3 · connected 5 minutes ago · 1 SFTP session',
    ]);
  });
});

describe('mergePresenceWithSsh', () => {
  it('marks browser users who are also on SSH and appends SSH-only people by name', () => {
    const web = [webUser('me', 'Me', true), webUser('u2', 'Grace')];
    const sessions = [
      session({ id: 'a', userId: 'u3', name: 'Zed' }),
      session({ id: 'b', userId: 'u2', name: 'Grace' }),
      session({ id: 'c', userId: 'u4', name: 'Alan', connectedAt: '2026-03-10T11:00:00Z' }),
    ];
    const entries = mergePresenceWithSsh(web, sessions);
    expect(entries.map((entry) => [entry.id, entry.web !== null, entry.ssh?.sessions.length ?? 0])).toEqual([
      ['me', true, 0],
      ['u2', true, 1],
      ['u4', false, 1],
      ['u3', false, 1],
    ]);
  });

  it('groups several connections of one person, oldest first', () => {
    const groups = groupSshSessions([
      session({ id: 'late', connectedAt: '2026-03-10T11:58:00Z' }),
      session({ id: 'early', connectedAt: '2026-03-10T11:00:00Z' }),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.sessions.map((item) => item.id)).toEqual(['early', 'late']);
  });
});
