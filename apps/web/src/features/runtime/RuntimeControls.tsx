import type { MachineType, StudioRuntimeStatus } from '@studios/protocol';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { machineLabel } from '../../shared/machine-label';
import { StudioStateBadge } from '../../shared/StudioStateBadge';
import { useStudio } from '../../shared/studio-context';
import { Button } from '../../ui/Button';
import { CpuIcon, PlayIcon, StopIcon } from '../../ui/icons';
import { Menu } from '../../ui/Menu';
import { useToast } from '../../ui/Toast';
import { type RuntimeProgress, runtimeStatusLine } from './runtime-progress';

/** State badge, Start/Stop (or Wake for viewers), progress text and the machine switch. */
export function RuntimeControls({
  progress,
  onRuntime,
}: {
  progress: RuntimeProgress | null;
  onRuntime(answer: Promise<StudioRuntimeStatus>): Promise<void>;
}) {
  const { studio, runtime, canWrite, canManage, start } = useStudio();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [types, setTypes] = useState<MachineType[]>([]);

  useEffect(() => {
    if (!canManage) return;
    api.machineTypes().then(setTypes, () => setTypes([]));
  }, [canManage]);

  const stop = async () => {
    setBusy(true);
    try {
      await onRuntime(api.studios.stop(studio.id));
    } catch (error) {
      toast.show({ tone: 'danger', title: 'The Studio could not stop', message: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  const switchMachine = async (machineType: string) => {
    try {
      await onRuntime(api.studios.switchMachine(studio.id, machineType));
      toast.show({
        tone: 'info',
        title: 'Switching machine',
        message: 'The Studio restarts on the new machine; your files are kept.',
      });
    } catch (error) {
      toast.show({
        tone: 'danger',
        title: 'The machine could not be switched',
        message: describeError(error),
      });
    }
  };

  const state = runtime.state;
  const machineName = types.find((type) => type.id === runtime.machineType)?.label ?? runtime.machineType;
  const statusLine = runtimeStatusLine(runtime, progress);

  return (
    <div className="runtime-controls">
      <StudioStateBadge status={runtime} testId="studio-state" />
      {state === 'stopped' || state === 'error' ? (
        <Button size="sm" icon={<PlayIcon />} onClick={start} data-testid="studio-start">
          {canWrite ? 'Start' : 'Wake'}
        </Button>
      ) : null}
      {canWrite && (state === 'running' || state === 'starting') ? (
        <Button
          size="sm"
          variant="ghost"
          icon={<StopIcon />}
          loading={busy}
          onClick={stop}
          data-testid="studio-stop"
        >
          Stop
        </Button>
      ) : null}
      {statusLine ? (
        <span
          className={`runtime-controls__progress ${statusLine.error ? 'runtime-controls__progress--error' : ''}`}
          role="status"
          title={statusLine.title}
          data-testid="studio-progress"
        >
          <span className="runtime-controls__progress-text">{statusLine.text}</span>
          {statusLine.fraction === undefined ? null : (
            <progress
              className="runtime-controls__progress-bar"
              max={1}
              value={statusLine.fraction}
              aria-label={`${Math.round(statusLine.fraction * 100)}% done`}
            />
          )}
        </span>
      ) : null}
      {canManage && types.length > 0 ? (
        <Menu
          label={`Machine type: ${machineName}. Change machine`}
          triggerClassName="runtime-controls__machine runtime-controls__machine--button"
          trigger={
            <>
              <CpuIcon size={14} /> {machineName}
            </>
          }
          entries={[
            { kind: 'label', label: 'Machine type' },
            ...types.map((type) => ({
              kind: 'item' as const,
              label: machineLabel(type),
              checked: type.id === runtime.machineType,
              onSelect: () => {
                if (type.id !== runtime.machineType) void switchMachine(type.id);
              },
            })),
          ]}
        />
      ) : (
        <span className="runtime-controls__machine" title="Machine type">
          <CpuIcon size={14} /> {machineName}
        </span>
      )}
    </div>
  );
}
