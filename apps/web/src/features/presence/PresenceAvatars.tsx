import { useSyncExternalStore } from 'react';
import { useStudio } from '../../shared/studio-context';
import { colorForUser } from '../../shared/user-color';
import { AvatarButton } from '../../ui/Avatar';

const MAX_SHOWN = 5;

/** Everyone seen in the open documents; click someone to jump to their file and cursor. */
export function PresenceAvatars() {
  const { presence, followUser } = useStudio();
  const people = useSyncExternalStore(presence.subscribe, presence.getSnapshot);
  if (people.length === 0) return null;
  const shown = people.slice(0, MAX_SHOWN);
  const hidden = people.length - shown.length;
  return (
    <div className="presence" title="People in this Studio">
      {shown.map((person) => {
        const where = person.file ? ` — ${person.file}` : '';
        const label = person.isSelf ? `${person.name} (you)${where}` : `${person.name}${where}`;
        return (
          <AvatarButton
            key={person.id}
            name={person.name}
            color={/^#[0-9a-f]{6}$/i.test(person.color) ? person.color : colorForUser(person.id)}
            title={person.isSelf || !person.file ? label : `${label}. Click to follow`}
            data-testid={`presence-${person.id}`}
            disabled={person.isSelf || !person.file}
            onClick={() => person.file && followUser(person.id, person.file)}
          />
        );
      })}
      {hidden > 0 ? (
        <span
          className="presence__more"
          title={people
            .slice(MAX_SHOWN)
            .map((person) => person.name)
            .join(', ')}
        >
          +{hidden}
        </span>
      ) : null}
    </div>
  );
}
