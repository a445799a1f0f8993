import { useState } from 'react';
import { useStudio } from '../../shared/studio-context';
import { Button } from '../../ui/Button';
import { CodeIcon } from '../../ui/icons';
import { SshConnectDialog } from './SshConnectDialog';
import { VIEWER_SSH_TOOLTIP } from './ssh-config-text';

/** The Studio header's way into Remote-SSH: opens the connect dialog (owners and editors). */
export function SshConnectButton() {
  const { canWrite } = useStudio();
  const [open, setOpen] = useState(false);
  if (!canWrite) {
    // aria-disabled rather than disabled: a disabled button gets no hover, so no tooltip.
    return (
      <Button
        size="sm"
        icon={<CodeIcon />}
        className="ssh-connect-button"
        aria-disabled="true"
        aria-description={VIEWER_SSH_TOOLTIP}
        title={VIEWER_SSH_TOOLTIP}
        data-testid="ssh-connect-button"
      >
        VS Code / Cursor
      </Button>
    );
  }
  return (
    <>
      <Button
        size="sm"
        icon={<CodeIcon />}
        className="ssh-connect-button"
        title="Open this Studio in VS Code or Cursor over SSH"
        data-testid="ssh-connect-button"
        onClick={() => setOpen(true)}
      >
        VS Code / Cursor
      </Button>
      {open ? <SshConnectDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
