import { useCallback, useState } from 'react';

export type Theme = 'dark' | 'light';

const STORAGE_KEY = 'studios.theme';

function readTheme(): Theme {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

/** Applies the stored theme to <html> before first paint. */
export function applyStoredTheme(): void {
  document.documentElement.dataset.theme = readTheme();
}

/** The current theme and a toggle; the editor and terminals follow via the `studios-theme` event. */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(readTheme);
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next: Theme = current === 'dark' ? 'light' : 'dark';
      document.documentElement.dataset.theme = next;
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
      window.dispatchEvent(new CustomEvent('studios-theme', { detail: next }));
      return next;
    });
  }, []);
  return [theme, toggle];
}

/** The theme currently applied to the document. */
export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}
