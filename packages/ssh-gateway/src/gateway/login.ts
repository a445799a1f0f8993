import type { Logger } from '@studios/base';
import type { AuthContext } from 'ssh2';
import type { SshGatewayBackend, SshPrincipal } from '../gateway-backend';
import { GATEWAY_LIMITS } from './limits';
import { verifyLoginSignature } from './signature';

export interface LoginOptions {
  backend: SshGatewayBackend;
  remoteAddress: string;
  log: Logger;
  /** Too many failures: the connection must end. */
  onTooManyFailures: () => void;
}

/**
 * The authentication exchange of one connection: public keys only, every signature verified
 * here before the backend is asked the second time, failures counted like sshd's MaxAuthTries.
 */
export class Login {
  #failures = 0;
  #principal: SshPrincipal | undefined;

  constructor(private readonly options: LoginOptions) {}

  /** Who logged in; set once a signed request has been verified and authorized. */
  get principal(): SshPrincipal | undefined {
    return this.#principal;
  }

  handle(ctx: AuthContext): void {
    // Requests already on the wire when the limit was reached get no more backend lookups.
    if (this.#failures >= GATEWAY_LIMITS.maxAuthFailures) return;
    void this.#decide(ctx).then(
      (principal) => this.#answer(ctx, principal),
      (error: unknown) => {
        this.options.log.error('ssh authorize failed', { error: String(error) });
        this.#answer(ctx, null);
      },
    );
  }

  async #decide(ctx: AuthContext): Promise<SshPrincipal | null> {
    if (ctx.method !== 'publickey') return null;
    const { backend, remoteAddress } = this.options;
    const attempt = { username: ctx.username, algorithm: ctx.key.algo, keyBlob: ctx.key.data, remoteAddress };
    // Without a signature the client only asks whether the key would do; accepting makes ssh2
    // answer PK_OK and the client signs. Nothing is granted until the signed request passes.
    if (!ctx.signature) return backend.authorize(attempt);
    const verified =
      ctx.blob !== undefined &&
      verifyLoginSignature({
        keyAlgorithm: ctx.key.algo,
        keyBlob: ctx.key.data,
        signature: ctx.signature,
        signedData: ctx.blob,
        hashAlgorithm: ctx.hashAlgo,
      });
    if (!verified) {
      this.options.log.warn('ssh signature rejected', { remoteAddress, algorithm: ctx.key.algo });
      return null;
    }
    const principal = await backend.authorize(attempt);
    if (principal) this.#principal = principal;
    return principal;
  }

  #answer(ctx: AuthContext, principal: SshPrincipal | null): void {
    if (principal) {
      ctx.accept();
      return;
    }
    // OpenSSH starts with `none` to learn the methods; sshd does not count that as a failure.
    if (ctx.method !== 'none') this.#failures += 1;
    ctx.reject(['publickey']);
    if (this.#failures >= GATEWAY_LIMITS.maxAuthFailures) {
      this.options.log.info('ssh too many authentication failures', {
        remoteAddress: this.options.remoteAddress,
      });
      this.options.onTooManyFailures();
    }
  }
}
