import { Component, type ReactNode } from 'react';
import { assetStatus } from '../api/app-assets';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ChunkLoadError } from './chunk-retry';

type Failure = { kind: 'updated' } | { kind: 'unreachable' } | { kind: 'crashed'; message: string };

interface LoadBoundaryProps {
  /** What this part is called in the message ("the terminal"). */
  part: string;
  /** Called before rendering again after "Try again" (e.g. to renew a lazy component). */
  onRetry?: () => void;
  /**
   * A function, not an element: after "Try again" it must be called again, so that it picks up
   * the renewed lazy component instead of the one whose failure React remembers.
   */
  children: () => ReactNode;
}

/**
 * Catches a part of the page that could not load or render and says what to do instead of
 * leaving it blank: after a deploy the old chunks are gone ("Studios was updated — reload");
 * without a network the part can be tried again in place; anything else offers a reload.
 */
export class LoadBoundary extends Component<LoadBoundaryProps, { failure: Failure | null }> {
  override state: { failure: Failure | null } = { failure: null };

  static getDerivedStateFromError(error: unknown): { failure: Failure } {
    if (error instanceof ChunkLoadError) return { failure: { kind: 'unreachable' } };
    return { failure: { kind: 'crashed', message: error instanceof Error ? error.message : String(error) } };
  }

  override componentDidCatch(error: unknown): void {
    if (!(error instanceof ChunkLoadError) || !error.url) return;
    // A chunk the server no longer has means a new version was deployed under this page.
    void assetStatus(error.url).then((status) => {
      if (status === 'gone') this.setState({ failure: { kind: 'updated' } });
    });
  }

  #retry = () => {
    this.props.onRetry?.();
    this.setState({ failure: null });
  };

  override render() {
    const { failure } = this.state;
    if (!failure) return this.props.children();
    const reload = (
      <Button
        variant={failure.kind === 'unreachable' ? 'secondary' : 'primary'}
        onClick={() => window.location.reload()}
      >
        Reload
      </Button>
    );
    if (failure.kind === 'updated') {
      return (
        <div className="app-center" role="alert" data-testid="load-failure">
          <EmptyState title="Studios was updated" action={reload}>
            A new version of Studios is available. Reload the page to use it; your files and terminals are
            kept.
          </EmptyState>
        </div>
      );
    }
    if (failure.kind === 'unreachable') {
      return (
        <div className="app-center" role="alert" data-testid="load-failure">
          <EmptyState
            title={`Could not load ${this.props.part}`}
            action={
              <>
                <Button variant="primary" onClick={this.#retry}>
                  Try again
                </Button>
                {reload}
              </>
            }
          >
            The connection to the Studios server dropped while downloading it. Check your network and try
            again.
          </EmptyState>
        </div>
      );
    }
    return (
      <div className="app-center" role="alert" data-testid="load-failure">
        <EmptyState title={`Something went wrong in ${this.props.part}`} action={reload}>
          {failure.message} — reload the page; your files and terminals are kept.
        </EmptyState>
      </div>
    );
  }
}
