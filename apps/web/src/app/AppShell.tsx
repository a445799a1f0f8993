import type { ReactNode } from 'react';
import { BoxIcon } from '../ui/icons';
import { navigate } from './router';
import { UserMenu } from './UserMenu';

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
        <nav className="app-nav">
          <a
            className="app-nav__item"
            aria-current="page"
            href="/"
            onClick={(event) => {
              event.preventDefault();
              navigate('/');
            }}
          >
            <BoxIcon /> Studios
          </a>
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
