import { backoffDelay } from '../api/backoff';

const MAX_STYLESHEET_TRIES = 4;

/** True for Vite's "Unable to preload CSS" failure of a lazily loaded part. */
function isCssPreloadError(event: Event): boolean {
  const payload = (event as Event & { payload?: unknown }).payload;
  return payload instanceof Error && payload.message.startsWith('Unable to preload CSS');
}

/**
 * Retries stylesheets that failed to download, so a network change does not leave the page
 * half-styled. A failed `<link rel=stylesheet>` is replaced by a fresh one after a backoff
 * (unlike modules, browsers fetch it again); after the last try `onGiveUp(href)` reports it.
 * Vite's preload of a lazy part's CSS is told not to fail the part's import: its stylesheet
 * arrives through this retry instead. Returns a function that removes the listeners.
 */
export function installStylesheetRecovery(onGiveUp: (href: string) => void): () => void {
  const onPreloadError = (event: Event) => {
    if (isCssPreloadError(event)) event.preventDefault();
  };
  const onResourceError = (event: Event) => {
    const link = event.target;
    if (!(link instanceof HTMLLinkElement) || link.rel !== 'stylesheet') return;
    const tries = Number(link.dataset.tries ?? '1');
    if (tries >= MAX_STYLESHEET_TRIES) {
      onGiveUp(link.href);
      return;
    }
    setTimeout(
      () => {
        const fresh = link.cloneNode() as HTMLLinkElement;
        fresh.dataset.tries = String(tries + 1);
        link.replaceWith(fresh);
      },
      backoffDelay(tries - 1),
    );
  };
  window.addEventListener('vite:preloadError', onPreloadError);
  // Resource errors do not bubble; the capture phase still sees them.
  document.addEventListener('error', onResourceError, true);
  return () => {
    window.removeEventListener('vite:preloadError', onPreloadError);
    document.removeEventListener('error', onResourceError, true);
  };
}
