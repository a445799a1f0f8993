import type { ReactNode } from 'react';
import { CloseIcon } from './icons';

export interface TabItem {
  id: string;
  label: ReactNode;
  /** Accessible name when `label` is not plain text. */
  title?: string;
  icon?: ReactNode;
  /** Extra content after the label (attached-user chips, a dirty dot). */
  extra?: ReactNode;
  testId?: string;
}

export interface TabsProps {
  label: string;
  items: TabItem[];
  activeId: string | null;
  onSelect(id: string): void;
  onClose?(id: string): void;
  onDoubleClick?(id: string): void;
  /** Id prefix linking each tab to its panel (`${idPrefix}-panel-${id}`). */
  idPrefix: string;
  trailing?: ReactNode;
}

/**
 * A row of tabs (WAI-ARIA tabs pattern with roving focus): Left/Right move between tabs,
 * Delete closes the focused tab when closing is allowed.
 */
export function Tabs({
  label,
  items,
  activeId,
  onSelect,
  onClose,
  onDoubleClick,
  idPrefix,
  trailing,
}: TabsProps) {
  const focusTab = (index: number) => {
    const item = items[(index + items.length) % items.length];
    if (!item) return;
    onSelect(item.id);
    document.getElementById(`${idPrefix}-tab-${item.id}`)?.focus();
  };
  return (
    <div className="ui-tabs" role="tablist" aria-label={label}>
      {items.map((item, index) => (
        <div
          key={item.id}
          id={`${idPrefix}-tab-${item.id}`}
          role="tab"
          tabIndex={item.id === activeId ? 0 : -1}
          aria-selected={item.id === activeId}
          aria-controls={`${idPrefix}-panel-${item.id}`}
          aria-label={item.title}
          title={item.title}
          className="ui-tab"
          data-testid={item.testId}
          onClick={() => onSelect(item.id)}
          onDoubleClick={() => onDoubleClick?.(item.id)}
          onAuxClick={(event) => {
            if (event.button === 1 && onClose) onClose(item.id);
          }}
          onKeyDown={(event) => {
            if (event.target !== event.currentTarget) return;
            if (event.key === 'ArrowRight') focusTab(index + 1);
            else if (event.key === 'ArrowLeft') focusTab(index - 1);
            else if (event.key === 'Enter' || event.key === ' ') onSelect(item.id);
            else if (event.key === 'Delete' && onClose) onClose(item.id);
            else if (event.key === 'F2' && onDoubleClick) onDoubleClick(item.id);
          }}
        >
          {item.icon}
          <span>{item.label}</span>
          {item.extra}
          {onClose ? (
            <button
              type="button"
              className="ui-icon-button ui-icon-button--sm ui-tab__close"
              aria-label={`Close ${item.title ?? (typeof item.label === 'string' ? item.label : 'tab')}`}
              tabIndex={-1}
              onClick={(event) => {
                event.stopPropagation();
                onClose(item.id);
              }}
            >
              <CloseIcon size={12} />
            </button>
          ) : null}
        </div>
      ))}
      {trailing}
    </div>
  );
}
