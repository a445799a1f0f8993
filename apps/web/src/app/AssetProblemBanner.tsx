import { useEffect, useState } from 'react';
import { type AssetStatus, assetStatus } from '../api/app-assets';
import { Button } from '../ui/Button';
import { installStylesheetRecovery } from './stylesheet-recovery';

/**
 * A bar across the top when part of the page's styling could not be downloaded even after
 * retries: "Studios was updated" when the server no longer has the file, otherwise a note that
 * the connection dropped. Either way a reload fixes it.
 */
export function AssetProblemBanner() {
  const [problem, setProblem] = useState<AssetStatus | null>(null);
  useEffect(
    () =>
      installStylesheetRecovery((href) => {
        void assetStatus(href).then((status) => setProblem(status === 'gone' ? 'gone' : 'unreachable'));
      }),
    [],
  );
  if (!problem) return null;
  return (
    <div className="app-asset-banner" role="alert" data-testid="asset-problem">
      <span>
        {problem === 'gone'
          ? 'Studios was updated — reload the page to use the new version.'
          : 'Part of this page could not be downloaded because the connection dropped — reload the page.'}
      </span>
      <Button size="sm" variant="primary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </div>
  );
}
