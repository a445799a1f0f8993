import type { HTMLAttributes, ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'success' | 'warning' | 'danger' | 'info' | 'accent';

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: BadgeTone;
  /** A leading status dot. */
  dot?: boolean;
  pulse?: boolean;
  children: ReactNode;
}

/** A small status label (Studio state, roles, "View only"). */
export function Badge({ tone = 'neutral', dot, pulse, className, children, ...props }: BadgeProps) {
  const classes = [
    'ui-badge',
    `ui-badge--${tone}`,
    dot ? 'ui-badge--dot' : '',
    pulse ? 'ui-badge--pulse' : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <span className={classes} {...props}>
      {children}
    </span>
  );
}
