import type { ButtonHTMLAttributes } from 'react';
import { initials } from './initials';

export interface AvatarProps {
  name: string;
  color: string;
  size?: 'sm' | 'md' | 'lg';
  /** Tooltip; defaults to the name. */
  title?: string;
}

const sizeClass = (size: AvatarProps['size']) =>
  size === 'sm' ? 'ui-avatar--sm' : size === 'lg' ? 'ui-avatar--lg' : '';

/** A coloured circle with initials. */
export function Avatar({ name, color, size = 'md', title }: AvatarProps) {
  return (
    <span
      className={`ui-avatar ${sizeClass(size)}`}
      style={{ background: color }}
      title={title ?? name}
      role="img"
      aria-label={title ?? name}
    >
      {initials(name)}
    </span>
  );
}

/** An avatar that is also a button (e.g. "follow this user"). */
export function AvatarButton({
  name,
  color,
  size = 'md',
  title,
  ...props
}: AvatarProps & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'color' | 'title'>) {
  return (
    <button
      type="button"
      className={`ui-avatar ${sizeClass(size)}`}
      style={{ background: color }}
      title={title ?? name}
      aria-label={title ?? name}
      {...props}
    >
      {initials(name)}
    </button>
  );
}
