import { describeError } from '../api/api-error';
import { Avatar } from '../ui/Avatar';
import { KeyIcon, LogoutIcon, MoonIcon, SunIcon, TerminalIcon } from '../ui/icons';
import { Menu } from '../ui/Menu';
import { useToast } from '../ui/Toast';
import { navigate } from './router';
import { routePath } from './routes';
import { useCurrentUser, useSession } from './session';
import { useTheme } from './theme';
import { colorForUser } from './user-color';

/** The signed-in user's avatar with API tokens, SSH keys, theme switch and log out. */
export function UserMenu() {
  const user = useCurrentUser();
  const { logout } = useSession();
  const toast = useToast();
  const [theme, toggleTheme] = useTheme();
  return (
    <Menu
      label={`Account: ${user.name}`}
      testId="user-menu"
      triggerClassName="app-user-trigger"
      trigger={<Avatar name={user.name} color={colorForUser(user.id)} size="md" title={user.name} />}
      entries={[
        { kind: 'label', label: user.email },
        {
          kind: 'item',
          label: 'API tokens',
          icon: <KeyIcon />,
          onSelect: () => navigate(routePath({ name: 'api-tokens' })),
        },
        {
          kind: 'item',
          label: 'SSH keys',
          icon: <TerminalIcon />,
          onSelect: () => navigate(routePath({ name: 'ssh-keys' })),
        },
        {
          kind: 'item',
          label: theme === 'dark' ? 'Light theme' : 'Dark theme',
          icon: theme === 'dark' ? <SunIcon /> : <MoonIcon />,
          onSelect: toggleTheme,
        },
        { kind: 'separator' },
        {
          kind: 'item',
          label: 'Log out',
          icon: <LogoutIcon />,
          onSelect: () => {
            logout().catch((error: unknown) =>
              toast.show({ tone: 'danger', title: 'Could not log out', message: describeError(error) }),
            );
          },
        },
      ]}
    />
  );
}
