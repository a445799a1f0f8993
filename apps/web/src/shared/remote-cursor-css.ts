const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** Escapes text for a CSS double-quoted string (names come from other users: treat as hostile). */
export function cssString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\n\r\f]/g, ' ')
    .replace(/[<>]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * The stylesheet for one remote client's cursor and selection, targeting the classes y-monaco
 * puts on its decorations (`yRemoteSelection-<clientID>`, `yRemoteSelectionHead-<clientID>`).
 * The name label sits above the caret as `::after` content.
 */
export function remoteCursorCss(
  clientId: number,
  color: string,
  name: string,
  fallbackColor: string,
): string {
  const safeColor = HEX_COLOR.test(color) ? color : fallbackColor;
  const id = Math.trunc(clientId);
  return `.yRemoteSelection-${id} { background-color: ${safeColor}40; }
.yRemoteSelectionHead-${id} { position: absolute; box-sizing: border-box; height: 100%; border-left: 2px solid ${safeColor}; }
.yRemoteSelectionHead-${id}::after { content: ${cssString(name)}; position: absolute; left: -2px; top: -1.25em; padding: 0 4px; border-radius: 3px 3px 3px 0; background: ${safeColor}; color: #fff; font: 600 10px/1.25em system-ui, sans-serif; white-space: nowrap; pointer-events: none; z-index: 10; }`;
}
