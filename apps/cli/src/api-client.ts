import {
  ErrorBody,
  SshConnectInfo,
  SshGatewayInfo,
  type SshKeyAddBody,
  SshKeySummary,
  Studio,
  User,
} from '@studios/protocol';
import type { z } from 'zod';
import { CliError, UsageError } from './cli-error';

const REQUEST_TIMEOUT_MS = 30_000;

/** The server answered with an error body: its status, `code` and message. */
export class ApiError extends CliError {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * `https://studios.example.com` from what a person typed: http(s) only, no trailing slash (a
 * path prefix is kept for servers behind a proxy under one).
 */
export function normalizeServer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`'${raw}' is not a server URL: use one such as https://studios.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`'${raw}' is not an http(s) URL: use one such as https://studios.example.com`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The Studios REST API as the CLI uses it, with an API token; every answer checked by its schema. */
export class StudiosApi {
  constructor(
    readonly server: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch,
  ) {}

  me(): Promise<User> {
    return this.request('GET', '/api/me', User);
  }

  studios(): Promise<Studio[]> {
    return this.request('GET', '/api/studios', Studio.array());
  }

  sshGateway(): Promise<SshGatewayInfo> {
    return this.sshRequest('GET', '/api/ssh', SshGatewayInfo);
  }

  sshKeys(): Promise<SshKeySummary[]> {
    return this.sshRequest('GET', '/api/ssh-keys', SshKeySummary.array());
  }

  addSshKey(body: SshKeyAddBody): Promise<SshKeySummary> {
    return this.sshRequest('POST', '/api/ssh-keys', SshKeySummary, body);
  }

  removeSshKey(keyId: string): Promise<void> {
    return this.sshRequest('DELETE', `/api/ssh-keys/${encodeURIComponent(keyId)}`, undefined);
  }

  studioSsh(studioId: string): Promise<SshConnectInfo> {
    return this.request('GET', `/api/studios/${encodeURIComponent(studioId)}/ssh`, SshConnectInfo);
  }

  /** The SSH routes came with the gateway: a server without them says nothing useful on its own. */
  private async sshRequest<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | undefined,
    body?: unknown,
  ): Promise<T> {
    try {
      return await this.request(method, path, schema, body);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && !path.startsWith('/api/ssh-keys/')) {
        throw new CliError(`${this.server} has no SSH support (${method} ${path} → 404): update the server`);
      }
      throw error;
    }
  }

  private async request<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | undefined,
    body?: unknown,
  ): Promise<T> {
    const url = `${this.server}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      throw new CliError(
        `cannot reach ${this.server} (${networkReason(error)}): check the address, or run studios login --server <url>`,
      );
    }
    if (response.status === 401) {
      throw new ApiError(
        `${this.server} did not accept the API token: run studios login`,
        401,
        'unauthorized',
      );
    }
    if (!response.ok) throw await apiError(response, method, path);
    if (schema === undefined) return undefined as T;
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw new CliError(
        `unexpected answer from ${this.server} to ${method} ${path}: is it a Studios server, and up to date?`,
      );
    }
    return parsed.data;
  }
}

async function apiError(response: Response, method: string, path: string): Promise<ApiError> {
  const body = ErrorBody.safeParse(await response.json().catch(() => undefined));
  if (!body.success) {
    return new ApiError(`${method} ${path} failed with HTTP ${response.status}`, response.status, 'unknown');
  }
  return new ApiError(body.data.message, response.status, body.data.code);
}

/** `ECONNREFUSED`, `ENOTFOUND`, a timeout…: what undici keeps in `cause`. */
function networkReason(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer in ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
