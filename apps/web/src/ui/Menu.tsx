import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

export type MenuEntry =
  | {
      kind: 'item';
      label: string;
      onSelect(): void;
      icon?: ReactNode;
      danger?: boolean;
      /** Renders as a checkable item (menuitemradio). */
      checked?: boolean;
      disabled?: boolean;
    }
  | { kind: 'separator' }
  | { kind: 'label'; label: string };

export interface MenuProps {
  /** Accessible name of the trigger button. */
  label: string;
  trigger: ReactNode;
  triggerClassName?: string;
  entries: MenuEntry[];
  align?: 'left' | 'right';
  testId?: string;
}

function menuItems(list: HTMLElement | null): HTMLButtonElement[] {
  return Array.from(list?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]:not(:disabled)') ?? []);
}

/**
 * A dropdown menu button: Enter/Space/ArrowDown open it, arrows move, Escape closes and
 * returns focus to the trigger, a click outside closes it.
 */
export function Menu({ label, trigger, triggerClassName, entries, align = 'right', testId }: MenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    menuItems(listRef.current)[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) triggerRef.current?.focus();
  };

  const onListKeyDown = (event: React.KeyboardEvent) => {
    const list = menuItems(listRef.current);
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(index + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Home') {
      event.preventDefault();
      list[0]?.focus();
    } else if (event.key === 'End') {
      event.preventDefault();
      list[list.length - 1]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div className="ui-menu" ref={rootRef}>
      <button
        ref={triggerRef}
        type="button"
        className={triggerClassName ?? 'ui-icon-button'}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid={testId}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        {trigger}
      </button>
      {open ? (
        <div
          id={menuId}
          ref={listRef}
          role="menu"
          tabIndex={-1}
          aria-label={label}
          className={`ui-menu__list ${align === 'left' ? 'ui-menu__list--left' : ''}`}
          onKeyDown={onListKeyDown}
        >
          {entries.map((entry, index) => {
            if (entry.kind === 'separator') {
              // biome-ignore lint/suspicious/noArrayIndexKey: separators have no identity
              return <hr key={`sep-${index}`} className="ui-menu__separator" />;
            }
            if (entry.kind === 'label') {
              return (
                <div key={`label-${entry.label}`} className="ui-menu__label">
                  {entry.label}
                </div>
              );
            }
            const select = () => {
              close(true);
              entry.onSelect();
            };
            const className = `ui-menu__item ${entry.danger ? 'ui-menu__item--danger' : ''}`;
            return entry.checked === undefined ? (
              <button
                key={entry.label}
                type="button"
                role="menuitem"
                tabIndex={-1}
                disabled={entry.disabled}
                className={className}
                onClick={select}
              >
                {entry.icon}
                {entry.label}
              </button>
            ) : (
              <button
                key={entry.label}
                type="button"
                role="menuitemradio"
                aria-checked={entry.checked}
                tabIndex={-1}
                disabled={entry.disabled}
                className={className}
                onClick={select}
              >
                {entry.icon}
                {entry.label}
              </button>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
