import type { ReactNode } from 'react';
import { BoxIcon, KeyIcon, TerminalIcon } from '../ui/icons';
import { navigate, useRoute } from './router';
import { type Route, routePath } from './routes';
import { UserMenu } from './UserMenu';

/** A sidebar link that navigates without a reload and marks itself as the current page. */
function NavLink({ to, current, children }: { to: Route; current: Route; children: ReactNode }) {
  const href = routePath(to);
  return (
    <a
      className="app-nav__item"
      aria-current={current.name === to.name ? 'page' : undefined}
      href={href}
      onClick={(event) => {
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

/** Sidebar + header frame for the pages outside a Studio. */
export function AppShell({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { route } = useRoute();
  return (
    <div className="app-shell">
      <aside className="app-sidebar" aria-label="Main navigation">
        <a
          className="app-logo"
          href="/"
          onClick={(event) => {
            event.preventDefault();
            navigate('/');
          }}
        >
          <span className="app-logo__mark" aria-hidden="true" />
          Studios
        </a>
        <nav className="app-nav" aria-label="Pages">
          <NavLink to={{ name: 'dashboard' }} current={route}>
            <BoxIcon /> Studios
          </NavLink>
        </nav>
        <nav className="app-nav" aria-labelledby="app-nav-settings">
          <h2 id="app-nav-settings" className="app-nav__heading">
            Settings
          </h2>
          <NavLink to={{ name: 'api-tokens' }} current={route}>
            <KeyIcon /> API tokens
          </NavLink>
          <NavLink to={{ name: 'ssh-keys' }} current={route}>
            <TerminalIcon /> SSH keys
          </NavLink>
        </nav>
      </aside>
      <div className="app-main">
        <header className="app-header">
          <h1 className="app-header__title">{title}</h1>
          <div className="app-header__actions">
            {actions}
            <UserMenu />
          </div>
        </header>
        <main className="app-content">{children}</main>
      </div>
    </div>
  );
}
