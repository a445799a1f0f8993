import type { Studio } from '@studios/protocol';
import { useState } from 'react';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { AppShell } from '../../shared/AppShell';
import { navigate } from '../../shared/router';
import { routePath } from '../../shared/routes';
import { StudioStateBadge } from '../../shared/StudioStateBadge';
import { useAsyncResource } from '../../shared/use-async-resource';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { BoxIcon, MoreIcon, PencilIcon, PlusIcon, TrashIcon } from '../../ui/icons';
import { Menu } from '../../ui/Menu';
import { Spinner } from '../../ui/Spinner';
import { useToast } from '../../ui/Toast';
import { CreateStudioDialog, RenameStudioDialog } from './StudioDialogs';
import './dashboard.css';

type Dialogs =
  | { kind: 'create' }
  | { kind: 'rename'; studio: Studio }
  | { kind: 'delete'; studio: Studio }
  | null;

const ROLE_LABEL = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' } as const;

/** "My Studios": every Studio I am a member of, with create, rename, delete and open. */
export function DashboardPage() {
  // Other people change state and names, so refresh when the tab comes back into view.
  const {
    data: studios,
    error: loadError,
    reload: load,
    update: setStudios,
  } = useAsyncResource(api.studios.list, { refreshOnVisible: true });
  const [dialog, setDialog] = useState<Dialogs>(null);
  const toast = useToast();

  const open = (studio: Studio) => navigate(routePath({ name: 'studio', studioId: studio.id }));

  return (
    <AppShell
      title="Studios"
      actions={
        <Button variant="primary" icon={<PlusIcon />} onClick={() => setDialog({ kind: 'create' })}>
          New Studio
        </Button>
      }
    >
      {loadError ? (
        <EmptyState
          title="Your Studios could not be loaded"
          action={<Button onClick={load}>Try again</Button>}
        >
          {describeError(loadError)}
        </EmptyState>
      ) : studios === null ? (
        <div className="app-center">
          <Spinner size="lg" label="Loading your Studios" />
        </div>
      ) : studios.length === 0 ? (
        <EmptyState
          icon={<BoxIcon size={32} />}
          title="No Studios yet"
          action={
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setDialog({ kind: 'create' })}>
              Create your first Studio
            </Button>
          }
        >
          A Studio is a persistent machine with your files and terminals. Invite others to code in it with
          you.
        </EmptyState>
      ) : (
        <table className="ui-table studio-table">
          <caption className="visually-hidden">Your Studios</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Your role</th>
              <th scope="col">State</th>
              <th scope="col">Machine</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {studios.map((studio) => (
              <tr key={studio.id} data-testid={`studio-row-${studio.id}`}>
                <td className="studio-table__name">
                  <a
                    href={routePath({ name: 'studio', studioId: studio.id })}
                    onClick={(event) => {
                      event.preventDefault();
                      open(studio);
                    }}
                  >
                    <span className="studio-table__icon" aria-hidden="true">
                      {studio.name.slice(0, 1).toUpperCase()}
                    </span>
                    {studio.name}
                  </a>
                </td>
                <td>
                  <Badge tone={studio.role === 'owner' ? 'accent' : 'neutral'}>
                    {ROLE_LABEL[studio.role]}
                  </Badge>
                </td>
                <td>
                  <StudioStateBadge status={studio.runtime} />
                </td>
                <td className="studio-table__machine">{studio.runtime.machineType || studio.machineType}</td>
                <td>
                  <div className="studio-table__actions">
                    <Button size="sm" onClick={() => open(studio)} aria-label={`Open ${studio.name}`}>
                      Open
                    </Button>
                    {studio.role === 'owner' ? (
                      <Menu
                        label={`More actions for ${studio.name}`}
                        trigger={<MoreIcon />}
                        entries={[
                          {
                            kind: 'item',
                            label: 'Rename',
                            icon: <PencilIcon />,
                            onSelect: () => setDialog({ kind: 'rename', studio }),
                          },
                          { kind: 'separator' },
                          {
                            kind: 'item',
                            label: 'Delete',
                            icon: <TrashIcon />,
                            danger: true,
                            onSelect: () => setDialog({ kind: 'delete', studio }),
                          },
                        ]}
                      />
                    ) : (
                      <span className="studio-table__spacer" />
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {dialog?.kind === 'create' ? (
        <CreateStudioDialog
          onClose={() => setDialog(null)}
          onCreated={(studio) => {
            setDialog(null);
            open(studio);
          }}
        />
      ) : null}
      {dialog?.kind === 'rename' ? (
        <RenameStudioDialog
          studio={dialog.studio}
          onClose={() => setDialog(null)}
          onRenamed={(renamed) => {
            setDialog(null);
            setStudios((list) => list?.map((item) => (item.id === renamed.id ? renamed : item)) ?? null);
          }}
        />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete “${dialog.studio.name}”?`}
          message={`This permanently deletes the Studio “${dialog.studio.name}”, its files, terminals and machine for every member. This cannot be undone.`}
          confirmLabel="Delete Studio"
          formatError={describeError}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { studio } = dialog;
            await api.studios.remove(studio.id);
            setDialog(null);
            setStudios((list) => list?.filter((item) => item.id !== studio.id) ?? null);
            toast.show({ tone: 'success', title: `Deleted “${studio.name}”` });
          }}
        />
      ) : null}
    </AppShell>
  );
}
