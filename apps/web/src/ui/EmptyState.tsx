import type { ReactNode } from 'react';

/** A friendly placeholder for empty lists and failures: what happened, and what to do. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="ui-empty">
      {icon ? <div className="ui-empty__icon">{icon}</div> : null}
      <p className="ui-empty__title">{title}</p>
      {children ? <p className="ui-empty__text">{children}</p> : null}
      {action ? <div className="ui-empty__action">{action}</div> : null}
    </div>
  );
}
