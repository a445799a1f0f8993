import type { Member, Role } from '@studios/protocol';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { navigate } from '../../shared/router';
import { useStudio } from '../../shared/studio-context';
import { colorForUser } from '../../shared/user-color';
import { Avatar } from '../../ui/Avatar';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Dialog } from '../../ui/Dialog';
import { Input, Select } from '../../ui/Input';
import { Spinner } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import './members.css';

const ROLES: { value: Role; label: string; hint: string }[] = [
  { value: 'owner', label: 'Owner', hint: 'Manage members, machine, rename and delete' },
  { value: 'editor', label: 'Editor', hint: 'Edit files, use terminals, start and stop' },
  { value: 'viewer', label: 'Viewer', hint: 'Read only' },
];

type Confirm = { kind: 'remove'; member: Member } | { kind: 'leave' } | null;

/** Members of the Studio: owners invite, change roles and remove; everyone else can leave. */
export function MembersDialog({ onClose }: { onClose(): void }) {
  const { studio, user, canManage } = useStudio();
  const toast = useToast();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [inviteError, setInviteError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [confirm, setConfirm] = useState<Confirm>(null);

  const load = useCallback(() => {
    api.members
      .list(studio.id)
      .then((list) => {
        setMembers(list);
        setLoadError(null);
      })
      .catch((error: unknown) => setLoadError(describeError(error)));
  }, [studio.id]);

  useEffect(load, [load]);

  const invite = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim()) {
      setInviteError('Enter the email address of the person to invite');
      return;
    }
    setInviting(true);
    setInviteError(null);
    try {
      const added = await api.members.add(studio.id, email.trim(), role);
      setMembers((list) => [...(list ?? []).filter((member) => member.userId !== added.userId), added]);
      setEmail('');
      toast.show({
        tone: 'success',
        title: `${added.name} can now ${role === 'viewer' ? 'view' : 'edit'} this Studio`,
      });
    } catch (error) {
      setInviteError(describeError(error));
    } finally {
      setInviting(false);
    }
  };

  const changeRole = async (member: Member, next: Role) => {
    const previous = members;
    setMembers(
      (list) => list?.map((item) => (item.userId === member.userId ? { ...item, role: next } : item)) ?? null,
    );
    try {
      await api.members.setRole(studio.id, member.userId, next);
    } catch (error) {
      setMembers(previous);
      toast.show({
        tone: 'danger',
        title: `Could not change ${member.name}’s role`,
        message: describeError(error),
      });
    }
  };

  return (
    <>
      <Dialog
        wide
        title="Members"
        description={
          canManage
            ? `People who can open “${studio.name}”.`
            : `People who can open “${studio.name}”. Only owners can change this list.`
        }
        onClose={onClose}
        footer={
          <>
            {!canManage || (members?.filter((member) => member.role === 'owner').length ?? 0) > 1 ? (
              <Button
                variant="ghost"
                className="members__leave"
                onClick={() => setConfirm({ kind: 'leave' })}
              >
                Leave Studio
              </Button>
            ) : null}
            <Button onClick={onClose}>Done</Button>
          </>
        }
      >
        {canManage ? (
          <form className="members__invite" onSubmit={invite} aria-label="Invite a member">
            <Input
              label="Invite by email"
              type="email"
              placeholder="ada@example.com"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={inviteError}
            />
            <Select label="Role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {ROLES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
            <Button type="submit" variant="primary" loading={inviting}>
              Invite
            </Button>
          </form>
        ) : null}
        {loadError ? (
          <div className="ui-alert" role="alert">
            Members could not be loaded: {loadError}{' '}
            <button type="button" className="ui-button ui-button--sm" onClick={load}>
              Try again
            </button>
          </div>
        ) : members === null ? (
          <Spinner label="Loading members" />
        ) : (
          <ul className="members__list" aria-label="Members">
            {members.map((member) => (
              <li key={member.userId} className="members__row" data-testid={`member-${member.userId}`}>
                <Avatar name={member.name} color={colorForUser(member.userId)} size="lg" />
                <div className="members__who">
                  <div className="members__name">
                    {member.name}
                    {member.userId === user.id ? <span className="members__you"> (you)</span> : null}
                  </div>
                  <div className="members__email">{member.email}</div>
                </div>
                {canManage && member.userId !== user.id ? (
                  <>
                    <Select
                      hideLabel
                      label={`Role of ${member.name}`}
                      value={member.role}
                      onChange={(event) => void changeRole(member, event.target.value as Role)}
                      className="members__role-select"
                    >
                      {ROLES.map((option) => (
                        <option key={option.value} value={option.value}>
                          {option.label}
                        </option>
                      ))}
                    </Select>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setConfirm({ kind: 'remove', member })}
                      aria-label={`Remove ${member.name}`}
                    >
                      Remove
                    </Button>
                  </>
                ) : (
                  <Badge tone={member.role === 'owner' ? 'accent' : 'neutral'}>
                    {ROLES.find((option) => option.value === member.role)?.label}
                  </Badge>
                )}
              </li>
            ))}
          </ul>
        )}
      </Dialog>
      {confirm?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${confirm.member.name}?`}
          message={`${confirm.member.name} (${confirm.member.email}) loses access to “${studio.name}” right away, including open editors and terminals.`}
          confirmLabel="Remove"
          formatError={describeError}
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api.members.remove(studio.id, confirm.member.userId);
            setMembers((list) => list?.filter((member) => member.userId !== confirm.member.userId) ?? null);
            setConfirm(null);
          }}
        />
      ) : null}
      {confirm?.kind === 'leave' ? (
        <ConfirmDialog
          title={`Leave “${studio.name}”?`}
          message="You lose access to its files and terminals until someone invites you again."
          confirmLabel="Leave Studio"
          formatError={describeError}
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            await api.members.remove(studio.id, user.id);
            navigate('/');
          }}
        />
      ) : null}
    </>
  );
}
