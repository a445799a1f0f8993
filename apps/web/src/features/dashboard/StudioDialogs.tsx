import type { MachineType, Studio } from '@studios/protocol';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { machineLabel } from '../../shared/machine-label';
import { FormDialog } from '../../ui/FormDialog';
import { Input, Select } from '../../ui/Input';

const requireName = (name: string) => (name.trim() ? null : 'Give the Studio a name');

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

  useEffect(() => {
    api
      .machineTypes()
      .then((list) => {
        setTypes(list);
        setMachineType((current) => current || list[0]?.id || '');
      })
      .catch(() => setTypes([]));
  }, []);

  return (
    <FormDialog
      title="New Studio"
      description="A persistent workspace with its own files, terminals and machine."
      submitLabel="Create Studio"
      validate={() => requireName(name)}
      onSubmit={async () =>
        onCreated(await api.studios.create({ name: name.trim(), ...(machineType ? { machineType } : {}) }))
      }
      formatError={describeError}
      onClose={onClose}
    >
      {(error) => (
        <>
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
        </>
      )}
    </FormDialog>
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
  return (
    <FormDialog
      title={`Rename “${studio.name}”`}
      formLabel="Rename Studio"
      submitLabel="Rename"
      validate={() => requireName(name)}
      onSubmit={async () => onRenamed(await api.studios.rename(studio.id, name.trim()))}
      formatError={describeError}
      onClose={onClose}
    >
      {(error) => (
        <Input
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={80}
          autoFocus
          error={error}
        />
      )}
    </FormDialog>
  );
}
