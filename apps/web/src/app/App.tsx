import { Suspense, useEffect } from 'react';
import { describeError } from '../api/api-error';
import { ApiTokensPage } from '../features/api-tokens/ApiTokensPage';
import { AuthPage } from '../features/auth/AuthPage';
import { DashboardPage } from '../features/dashboard/DashboardPage';
import { SshKeysPage } from '../features/ssh-keys';
import { retryingLazy } from '../shared/chunk-retry';
import { LoadBoundary } from '../shared/LoadBoundary';
import { navigate, useRoute } from '../shared/router';
import { safeNextPath } from '../shared/routes';
import { useSession } from '../shared/session';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { Spinner } from '../ui/Spinner';

// The Studio page pulls in Monaco and xterm.js (megabytes); the first page must not wait for it.
const LazyStudioPage = retryingLazy(
  'src/features/studio-shell/StudioPage.tsx',
  () => import('../features/studio-shell/StudioPage'),
  (m) => m.StudioPage,
);

function FullPageSpinner({ label }: { label: string }) {
  return (
    <div className="app-center">
      <Spinner size="lg" label={label} />
    </div>
  );
}

/** Picks the page for the URL and keeps anonymous visitors on the auth pages. */
export function App() {
  const { route, search } = useRoute();
  const { state, retry } = useSession();
  const isAuthPage = route.name === 'login' || route.name === 'signup';

  useEffect(() => {
    if (state.status === 'anonymous' && !isAuthPage) {
      const here = window.location.pathname + window.location.search;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    } else if (state.status === 'signed-in' && isAuthPage) {
      navigate(safeNextPath(search.get('next')), { replace: true });
    }
  }, [state.status, isAuthPage, search]);

  if (state.status === 'loading') return <FullPageSpinner label="Loading Studios" />;
  if (state.status === 'error') {
    return (
      <div className="app-center">
        <EmptyState
          title="Studios could not load"
          action={
            <Button variant="primary" onClick={retry}>
              Try again
            </Button>
          }
        >
          {describeError(state.error)}
        </EmptyState>
      </div>
    );
  }
  if (isAuthPage) {
    return state.status === 'anonymous' ? (
      <AuthPage mode={route.name} />
    ) : (
      <FullPageSpinner label="Signing in" />
    );
  }
  if (state.status !== 'signed-in') return <FullPageSpinner label="Redirecting to log in" />;
  switch (route.name) {
    case 'dashboard':
      return <DashboardPage />;
    case 'api-tokens':
      return <ApiTokensPage />;
    case 'ssh-keys':
      return <SshKeysPage />;
    case 'studio':
      return (
        <LoadBoundary key={route.studioId} part="the Studio page" onRetry={LazyStudioPage.renew}>
          {() => (
            <Suspense fallback={<FullPageSpinner label="Opening Studio" />}>
              <LazyStudioPage.Component studioId={route.studioId} />
            </Suspense>
          )}
        </LoadBoundary>
      );
    default:
      return (
        <div className="app-center">
          <EmptyState
            title="Page not found"
            action={
              <Button variant="primary" onClick={() => navigate('/')}>
                Go to your Studios
              </Button>
            }
          >
            There is nothing at this address.
          </EmptyState>
        </div>
      );
  }
}
