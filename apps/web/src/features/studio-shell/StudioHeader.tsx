import type { StudioRuntimeStatus } from '@studios/protocol';
import { navigate } from '../../shared/router';
import { useStudio } from '../../shared/studio-context';
import { UserMenu } from '../../shared/UserMenu';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { EyeIcon, UsersIcon } from '../../ui/icons';
import { PresenceAvatars } from '../presence';
import { RuntimeControls, type RuntimeProgress } from '../runtime';
import { SshConnectButton } from '../ssh-connect';

/** Studio name, runtime controls, presence, Remote-SSH, members and the account menu. */
export function StudioHeader({
  progress,
  offline,
  onRuntime,
  onMembers,
}: {
  progress: RuntimeProgress | null;
  offline: boolean;
  /** Applies the status a runtime request answers (see useStudioConnection). */
  onRuntime(answer: Promise<StudioRuntimeStatus>): Promise<void>;
  onMembers(): void;
}) {
  const { studio, canWrite } = useStudio();
  return (
    <header className="studio-header">
      <div className="studio-header__left">
        <a
          className="studio-header__home"
          href="/"
          title="All Studios"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          <span className="app-logo__mark" aria-hidden="true" />
          <span className="visually-hidden">All Studios</span>
        </a>
        <span className="studio-header__crumb" aria-hidden="true">
          /
        </span>
        <h1 className="studio-header__name" data-testid="studio-name">
          {studio.name}
        </h1>
        {canWrite ? null : (
          <Badge tone="warning" data-testid="view-only">
            <EyeIcon size={12} /> View only
          </Badge>
        )}
        <RuntimeControls progress={progress} onRuntime={onRuntime} />
        {offline ? (
          <Badge tone="danger" dot title="Live updates are paused until the connection comes back">
            Reconnecting…
          </Badge>
        ) : null}
      </div>
      <div className="studio-header__right">
        <PresenceAvatars />
        <SshConnectButton />
        <Button size="sm" icon={<UsersIcon />} onClick={onMembers} data-testid="members-button">
          Members
        </Button>
        <UserMenu />
      </div>
    </header>
  );
}
