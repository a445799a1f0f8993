import type { MachineType, Studio } from '@studios/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Input, Select } from '../../ui/Input';

/** Human label of a machine type, e.g. "Small · 2 CPU · 4 GB". */
export function machineLabel(type: MachineType): string {
  const memory =
    type.memoryMb >= 1024 ? `${Math.round((type.memoryMb / 1024) * 10) / 10} GB` : `${type.memoryMb} MB`;
  const gpu = type.gpus > 0 ? ` · ${type.gpus} GPU` : '';
  return `${type.label} · ${type.cpus} CPU · ${memory}${gpu}`;
}

/** Create a Studio: a name and an optional machine type. */
export function CreateStudioDialog({
  onClose,
  onCreated,
}: {
  onClose(): void;
  onCreated(studio: Studio): void;
}) {
  const [name, setName] = useState('');
  const [machineType, setMachineType] = useState('');
  const [types, setTypes] = useState<MachineType[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .machineTypes()
      .then((list) => {
        setTypes(list);
        setMachineType((current) => current || list[0]?.id || '');
      })
      .catch(() => setTypes([]));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give the Studio a name');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.studios.create({ name: name.trim(), ...(machineType ? { machineType } : {}) }));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="New Studio"
      description="A persistent workspace with its own files, terminals and machine."
      onClose={onClose}
    >
      <form onSubmit={submit} className="dialog-form" aria-label="New Studio">
        <Input
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={80}
          autoFocus
          placeholder="my-project"
          error={error}
        />
        {types.length > 0 ? (
          <Select
            label="Machine type"
            value={machineType}
            onChange={(event) => setMachineType(event.target.value)}
          >
            {types.map((type) => (
              <option key={type.id} value={type.id}>
                {machineLabel(type)}
              </option>
            ))}
          </Select>
        ) : null}
        <div className="dialog-form__footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            Create Studio
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Rename a Studio (owners only). */
export function RenameStudioDialog({
  studio,
  onClose,
  onRenamed,
}: {
  studio: Studio;
  onClose(): void;
  onRenamed(studio: Studio): void;
}) {
  const [name, setName] = useState(studio.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give the Studio a name');
      return;
    }
    setBusy(true);
    try {
      onRenamed(await api.studios.rename(studio.id, name.trim()));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Rename “${studio.name}”`} onClose={onClose}>
      <form onSubmit={submit} className="dialog-form" aria-label="Rename Studio">
        <Input
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={80}
          autoFocus
          error={error}
        />
        <div className="dialog-form__footer">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            Rename
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
