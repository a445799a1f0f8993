import type { SshGatewayInfo } from '@studios/protocol';
import { describeError } from '../../api/api-error';
import { api } from '../../api/client';
import { useAsyncResource } from '../../shared/use-async-resource';
import { Button } from '../../ui/Button';
import { AlertIcon } from '../../ui/icons';
import { Spinner } from '../../ui/Spinner';
import './ssh-keys.css';

/** Said wherever SSH is offered while the server runs without its gateway. */
export function GatewayOffNotice() {
  return (
    <div className="ui-alert ui-alert--warning ssh-notice" role="status" data-testid="ssh-gateway-off">
      <AlertIcon aria-hidden="true" />
      <span>
        <strong>SSH is turned off on this server</strong>, so VS Code, Cursor and other SSH clients cannot
        connect. An administrator can turn it on by setting <code>STUDIOS_SSH_PORT</code> to a port number
        (such as 2222, the default) instead of <code>off</code>, then restarting Studios.
      </span>
    </div>
  );
}

/** The gateway's host key fingerprint, to compare with what an SSH client prints on first contact. */
export function GatewayHostKey({ gateway }: { gateway: SshGatewayInfo }) {
  return (
    <dl className="ssh-facts">
      <div className="ssh-facts__row">
        <dt>Address</dt>
        <dd>
          <code>
            {gateway.host}:{gateway.port}
          </code>
        </dd>
      </div>
      <div className="ssh-facts__row">
        <dt>Host key fingerprint</dt>
        <dd>
          <code data-testid="ssh-host-fingerprint">{gateway.hostKey.fingerprint}</code>{' '}
          <span className="ssh-facts__muted">({gateway.hostKey.algorithm})</span>
        </dd>
      </div>
    </dl>
  );
}

/** The keys page's account of the gateway: its address and host key, or why it is not there. */
export function GatewaySection() {
  const { data: gateway, error, reload } = useAsyncResource(api.ssh.gateway);
  return (
    <section className="ssh-keys-page__section" aria-labelledby="ssh-gateway-title">
      <h2 id="ssh-gateway-title" className="ssh-keys-page__heading">
        The Studios SSH gateway
      </h2>
      {error ? (
        <div className="ui-alert" role="alert">
          The gateway's details could not be loaded: {describeError(error)}{' '}
          <Button size="sm" onClick={() => void reload()}>
            Try again
          </Button>
        </div>
      ) : gateway === null ? (
        <Spinner label="Loading the gateway's details" />
      ) : gateway.enabled ? (
        <>
          <p className="ssh-keys-page__text">
            The first time you connect, your SSH client shows the gateway's host key fingerprint. Check that
            it matches this one before you accept it.
          </p>
          <GatewayHostKey gateway={gateway} />
        </>
      ) : (
        <GatewayOffNotice />
      )}
    </section>
  );
}
