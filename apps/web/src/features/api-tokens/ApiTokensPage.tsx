import type { TokenCreated, TokenSummary } from '@studios/protocol';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { AppShell } from '../../shared/AppShell';
import { LoadedList } from '../../shared/LoadedList';
import { describePastTime, exactTime } from '../../shared/relative-time';
import { useAsyncResource } from '../../shared/use-async-resource';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { EmptyState } from '../../ui/EmptyState';
import { KeyIcon, PlusIcon, TrashIcon } from '../../ui/icons';
import { useToast } from '../../ui/Toast';
import { CurlExample } from './CurlExample';
import { CreateTokenDialog, NewTokenDialog } from './TokenDialogs';
import { tokenPrefixLabel } from './token-text';
import './api-tokens.css';

type Dialogs =
  | { kind: 'create' }
  | { kind: 'created'; token: TokenCreated }
  | { kind: 'revoke'; token: TokenSummary }
  | null;

function TokenTime({ iso, now }: { iso: string | null; now: number }) {
  if (iso === null) return <span className="token-table__never">Never</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {describePastTime(iso, now)}
    </time>
  );
}

/** Settings › API tokens: list, create (secret shown once) and revoke personal access tokens. */
export function ApiTokensPage() {
  // "Last used" moves while scripts run elsewhere, so refresh when the tab comes back into view.
  const {
    data: tokens,
    error: loadError,
    reload: load,
    update: setTokens,
  } = useAsyncResource(api.tokens.list, { refreshOnVisible: true });
  const [dialog, setDialog] = useState<Dialogs>(null);
  const toast = useToast();

  const remove = (id: string) => setTokens((list) => list?.filter((item) => item.id !== id) ?? null);
  const openCreate = () => setDialog({ kind: 'create' });
  const now = Date.now();

  return (
    <AppShell
      title="API tokens"
      actions={
        <Button variant="primary" icon={<PlusIcon />} onClick={openCreate}>
          New token
        </Button>
      }
    >
      <div className="tokens-page">
        <p className="tokens-page__intro">
          API tokens let scripts, CI jobs and other tools use the Studios API as you. Treat each one like a
          password, and revoke any token you no longer use.
        </p>
        <LoadedList
          items={tokens}
          error={loadError}
          onRetry={load}
          what="your API tokens"
          empty={
            <EmptyState
              icon={<KeyIcon size={32} />}
              title="No API tokens yet"
              action={
                <Button variant="primary" icon={<PlusIcon />} onClick={openCreate}>
                  Create your first token
                </Button>
              }
            >
              Create a token to call the Studios API from a script or another machine.
            </EmptyState>
          }
        >
          {(list) => (
            <table className="ui-table token-table">
              <caption className="visually-hidden">Your API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Token</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((token) => (
                  <tr key={token.id} data-testid={`token-row-${token.id}`}>
                    <th scope="row" className="token-table__name">
                      {token.name}
                    </th>
                    <td className="token-table__prefix">
                      <code>{tokenPrefixLabel(token.prefix)}</code>
                    </td>
                    <td>
                      <TokenTime iso={token.createdAt} now={now} />
                    </td>
                    <td>
                      <TokenTime iso={token.lastUsedAt} now={now} />
                    </td>
                    <td className="token-table__actions">
                      <Button
                        size="sm"
                        variant="ghost"
                        icon={<TrashIcon />}
                        aria-label={`Revoke ${token.name}`}
                        onClick={() => setDialog({ kind: 'revoke', token })}
                      >
                        Revoke
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </LoadedList>
        <section className="tokens-page__usage" aria-labelledby="tokens-usage-title">
          <h2 id="tokens-usage-title" className="tokens-page__heading">
            Using a token
          </h2>
          <p className="tokens-page__text">
            Send it in the <code>Authorization</code> header. For example, to list your Studios:
          </p>
          <CurlExample token="<token>" label="Example command listing your Studios" />
        </section>
      </div>
      {dialog?.kind === 'create' ? (
        <CreateTokenDialog
          onClose={() => setDialog(null)}
          onCreated={(created) => {
            const { token: _secret, ...summary } = created;
            setTokens((list) => [summary, ...(list ?? []).filter((item) => item.id !== summary.id)]);
            setDialog({ kind: 'created', token: created });
          }}
        />
      ) : null}
      {dialog?.kind === 'created' ? (
        <NewTokenDialog token={dialog.token} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <ConfirmDialog
          title={`Revoke “${dialog.token.name}”?`}
          message={`Anything using the token “${dialog.token.name}” (${tokenPrefixLabel(dialog.token.prefix)}) stops working at once, and its open connections close. This cannot be undone.`}
          confirmLabel="Revoke token"
          formatError={describeError}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            const { token } = dialog;
            try {
              await api.tokens.revoke(token.id);
            } catch (error) {
              // Revoked meanwhile (another tab): the outcome the person asked for.
              if (!(error instanceof ApiError && error.status === 404)) throw error;
            }
            setDialog(null);
            remove(token.id);
            toast.show({ tone: 'success', title: `Revoked “${token.name}”` });
          }}
        />
      ) : null}
    </AppShell>
  );
}
