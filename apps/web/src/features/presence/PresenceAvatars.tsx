import { type ReactNode, useState, useSyncExternalStore } from 'react';
import { useStudio } from '../../shared/studio-context';
import { colorForUser } from '../../shared/user-color';
import { Avatar, AvatarButton } from '../../ui/Avatar';
import { describeSshPresence, mergePresenceWithSsh, type PresenceEntry } from './ssh-presence';
import { useSshSessions } from './use-ssh-sessions';
import './presence.css';

const MAX_SHOWN = 5;

function PresenceAvatar({ entry, now }: { entry: PresenceEntry; now: number }) {
  const { followUser } = useStudio();
  const { web: person, ssh } = entry;
  const sshText = ssh ? describeSshPresence(ssh, now) : '';
  let avatar: ReactNode;
  if (person) {
    const where = person.file ? ` — ${person.file}` : '';
    const label = person.isSelf ? `${person.name} (you)${where}` : `${person.name}${where}`;
    const title = person.isSelf || !person.file ? label : `${label}. Click to follow`;
    avatar = (
      <AvatarButton
        name={person.name}
        color={/^#[0-9a-f]{6}$/i.test(person.color) ? person.color : colorForUser(person.id)}
        title={ssh ? `${title}\n${sshText}` : title}
        data-testid={`presence-${person.id}`}
        disabled={person.isSelf || !person.file}
        onClick={() => person.file && followUser(person.id, person.file)}
      />
    );
  } else {
    avatar = <Avatar name={entry.name} color={colorForUser(entry.id)} title={sshText} />;
  }
  return (
    <span
      className={`presence__person ${ssh ? 'presence__person--ssh' : ''}`}
      data-testid={ssh ? `ssh-presence-${entry.id}` : undefined}
    >
      {avatar}
      {ssh ? (
        <span className="presence__ssh" aria-hidden="true">
          SSH
        </span>
      ) : null}
    </span>
  );
}

/**
 * Everyone in the Studio: people seen in the open documents (click someone to jump to their file
 * and cursor) and people connected over SSH (VS Code, Cursor, a terminal), marked "SSH".
 */
export function PresenceAvatars() {
  const { studio, presence, events } = useStudio();
  const people = useSyncExternalStore(presence.subscribe, presence.getSnapshot);
  const sessions = useSshSessions(studio.id, events);
  // "Connected 5 minutes ago" is worked out when the pointer arrives, not when the list changed.
  const [now, setNow] = useState(Date.now);
  const entries = mergePresenceWithSsh(people, sessions);
  if (entries.length === 0) return null;
  const shown = entries.slice(0, MAX_SHOWN);
  const hidden = entries.slice(MAX_SHOWN);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: refreshes tooltip times; nothing to operate
    <div
      className="presence"
      title="People in this Studio"
      onPointerEnter={() => setNow(Date.now())}
      onFocus={() => setNow(Date.now())}
    >
      {shown.map((entry) => (
        <PresenceAvatar key={entry.id} entry={entry} now={now} />
      ))}
      {hidden.length > 0 ? (
        <span
          className="presence__more"
          title={hidden.map((entry) => (entry.ssh ? `${entry.name} (SSH)` : entry.name)).join(', ')}
        >
          +{hidden.length}
        </span>
      ) : null}
    </div>
  );
}
