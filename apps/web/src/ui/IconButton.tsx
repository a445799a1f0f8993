import type { ButtonHTMLAttributes, ReactNode } from 'react';

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  /** Accessible name, also shown as the tooltip. */
  label: string;
  icon: ReactNode;
  size?: 'sm' | 'md';
}

/** A square button holding only an icon; `label` names it for screen readers and tooltips. */
export function IconButton({ label, icon, size = 'md', className, ...props }: IconButtonProps) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className={['ui-icon-button', size === 'sm' ? 'ui-icon-button--sm' : '', className ?? ''].join(' ')}
      {...props}
    >
      {icon}
    </button>
  );
}
