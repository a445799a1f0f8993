import type { KernelSpecList, KernelState } from '@studios/protocol';
import { useState } from 'react';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { PlayIcon, RefreshIcon, StopIcon } from '../../ui/icons';
import { Menu, type MenuEntry } from '../../ui/Menu';
import { kernelStatusView } from './run-status';

export interface KernelToolbarProps {
  kernel: KernelState | null;
  canEdit: boolean;
  /** The Studio's kernels; null while loading or when they could not be listed. */
  kernelspecs: KernelSpecList | null;
  onKernel(action: 'start' | 'interrupt' | 'restart' | 'shutdown', kernelName?: string): Promise<void>;
  onRunAll(): void;
  onRunAbove(): void;
  onRunBelow(): void;
  onClearOutputs(): void;
  onClearSelectedOutputs(): void;
}

/** The notebook's toolbar: run commands and the kernel (from the server-owned kernel map). */
export function KernelToolbar(props: KernelToolbarProps) {
  const { kernel, canEdit, kernelspecs } = props;
  const view = kernelStatusView(kernel);
  const [busyAction, setBusyAction] = useState<string | null>(null);
  const act = (action: 'start' | 'interrupt' | 'restart' | 'shutdown', kernelName?: string) => {
    setBusyAction(action);
    void props.onKernel(action, kernelName).finally(() => setBusyAction(null));
  };
  const name = kernel?.spec?.displayName ?? defaultDisplayName(kernelspecs) ?? 'Kernel';

  const kernelEntries: MenuEntry[] = [
    {
      kind: 'item',
      label: view.canStart ? 'Start kernel' : 'Restart kernel',
      onSelect: () => act(view.canStart ? 'start' : 'restart'),
    },
    {
      kind: 'item',
      label: 'Shut down kernel',
      disabled: !view.hasKernel,
      danger: true,
      onSelect: () => act('shutdown'),
    },
    { kind: 'separator' },
    { kind: 'label', label: kernelspecs ? 'Change kernel' : 'Loading kernels…' },
    ...(kernelspecs?.kernelspecs ?? []).map(
      (spec): MenuEntry => ({
        kind: 'item',
        label: spec.displayName,
        checked: kernel?.spec?.name === spec.name,
        onSelect: () => act('start', spec.name),
      }),
    ),
  ];

  // A dead or failed kernel's message says what to do: it gets a line of its own, in full.
  const problem =
    kernel?.message && (kernel.status === 'failed' || kernel.status === 'dead') ? kernel.message : null;

  return (
    <>
      <div className="nb-toolbar" role="toolbar" aria-label="Notebook" data-testid="notebook-toolbar">
        {canEdit ? (
          <>
            <Button
              size="sm"
              variant="ghost"
              icon={<PlayIcon />}
              onClick={props.onRunAll}
              data-testid="notebook-run-all"
            >
              Run all
            </Button>
            <Menu
              label="More run commands"
              trigger={<span>More ▾</span>}
              triggerClassName="ui-button ui-button--ghost ui-button--sm"
              align="left"
              testId="notebook-run-menu"
              entries={[
                { kind: 'item', label: 'Run all above the selected cell', onSelect: props.onRunAbove },
                { kind: 'item', label: 'Run the selected cell and all below', onSelect: props.onRunBelow },
                { kind: 'separator' },
                {
                  kind: 'item',
                  label: 'Clear outputs of the selected cells',
                  onSelect: props.onClearSelectedOutputs,
                },
                { kind: 'item', label: 'Clear all outputs', onSelect: props.onClearOutputs },
              ]}
            />
          </>
        ) : null}
        <span className="nb-toolbar__spacer" />
        {kernel?.message && (kernel.status === 'starting' || kernel.status === 'restarting') ? (
          <span className="nb-toolbar__message" title={kernel.message} data-testid="kernel-message">
            {kernel.message}
          </span>
        ) : null}
        <span className="nb-toolbar__kernel" data-testid="kernel-name">
          {name}
        </span>
        <Badge
          tone={view.tone}
          dot
          pulse={view.pulse}
          data-testid="kernel-status"
          data-status={kernel?.status ?? 'none'}
        >
          {view.label}
        </Badge>
        {canEdit ? (
          <>
            {view.canStart ? (
              <Button
                size="sm"
                icon={<PlayIcon />}
                loading={busyAction === 'start'}
                onClick={() => act('start')}
                data-testid="kernel-start"
              >
                Start
              </Button>
            ) : (
              <>
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<StopIcon />}
                  disabled={kernel?.status !== 'busy'}
                  loading={busyAction === 'interrupt'}
                  onClick={() => act('interrupt')}
                  title="Interrupt the kernel (I, I)"
                  data-testid="kernel-interrupt"
                >
                  Interrupt
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<RefreshIcon />}
                  loading={busyAction === 'restart'}
                  onClick={() => act('restart')}
                  title="Restart the kernel (0, 0)"
                  data-testid="kernel-restart"
                >
                  Restart
                </Button>
              </>
            )}
            <Menu
              label="Kernel"
              trigger={<span>Kernel ▾</span>}
              triggerClassName="ui-button ui-button--ghost ui-button--sm"
              testId="kernel-menu"
              entries={kernelEntries}
            />
          </>
        ) : null}
      </div>
      {problem ? (
        <div
          className={`nb-kernel-alert nb-kernel-alert--${kernel?.status}`}
          role="alert"
          data-testid="kernel-message"
        >
          {problem}
        </div>
      ) : null}
    </>
  );
}

function defaultDisplayName(list: KernelSpecList | null): string | undefined {
  return list?.kernelspecs.find((spec) => spec.name === list.default)?.displayName;
}
