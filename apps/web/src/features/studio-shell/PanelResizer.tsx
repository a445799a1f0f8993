import { type KeyboardEvent, type PointerEvent, useRef } from 'react';

export interface PanelResizerProps {
  /** Current height of the panel below the handle, in pixels. */
  height: number;
  min: number;
  max: number;
  onResize(height: number): void;
}

/** A horizontal splitter (drag or Arrow Up/Down) sizing the panel below it. */
export function PanelResizer({ height, min, max, onResize }: PanelResizerProps) {
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);
  const clamp = (value: number) => Math.max(min, Math.min(max, Math.round(value)));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = { startY: event.clientY, startHeight: height };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onResize(clamp(drag.current.startHeight + (drag.current.startY - event.clientY)));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 80 : 20;
    if (event.key === 'ArrowUp') onResize(clamp(height + step));
    else if (event.key === 'ArrowDown') onResize(clamp(height - step));
    else return;
    event.preventDefault();
  };

  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable splitter has no native element
    <div
      className="studio-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize terminal panel"
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => {
        drag.current = null;
      }}
      onKeyDown={onKeyDown}
    />
  );
}
