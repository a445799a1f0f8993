import { GATEWAY_LIMITS } from './limits';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The addresses sshd puts into SSH_CONNECTION and SSH_CLIENT. */
export interface ConnectionEndpoints {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
}

/** Variables a client sends with `env` requests (`SetEnv`, `SendEnv`), checked one by one. */
export class ClientEnvironment {
  readonly #vars = new Map<string, string>();

  /** Records one variable; false (the request is refused) for a bad name, a long value or too many. */
  set(name: string, value: string): boolean {
    if (!NAME.test(name) || Buffer.byteLength(value) > GATEWAY_LIMITS.maxEnvValueBytes) return false;
    if (value.includes('\0')) return false;
    if (!this.#vars.has(name) && this.#vars.size >= GATEWAY_LIMITS.maxEnvVars) return false;
    this.#vars.set(name, value);
    return true;
  }

  /**
   * The process environment: what the client sent, then what sshd would set. SSH_CONNECTION
   * matters beyond information: bash reads ~/.bashrc for a non-interactive `bash -c` only when
   * it sees it (or SSH_CLIENT), which is what users expect from `ssh host cmd`.
   */
  build(endpoints: ConnectionEndpoints, term: string | undefined): Record<string, string> {
    const env: Record<string, string> = { LANG: 'C.UTF-8', ...Object.fromEntries(this.#vars) };
    const { remoteAddress, remotePort, localAddress, localPort } = endpoints;
    env.SSH_CONNECTION = `${remoteAddress} ${remotePort} ${localAddress} ${localPort}`;
    env.SSH_CLIENT = `${remoteAddress} ${remotePort} ${localPort}`;
    if (term) env.TERM = term;
    return env;
  }
}
