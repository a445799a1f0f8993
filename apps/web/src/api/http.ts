import { ApiError, apiErrorFromResponse, networkError, parseRetryAfter } from './api-error';
import { backoffDelay } from './backoff';

/** Anything with a zod-like `parse`; responses are validated before the UI sees them. */
export interface Parser<T> {
  parse(data: unknown): T;
}

export interface RequestOptions<T> {
  /** JSON-serialised unless it is a Blob/File/ArrayBuffer (sent raw). */
  body?: unknown;
  schema?: Parser<T>;
  signal?: AbortSignal;
}

function isRawBody(body: unknown): body is Blob | ArrayBuffer {
  return body instanceof Blob || body instanceof ArrayBuffer;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** How often a read is tried again after it failed without an answer, and the pause before each. */
const READ_RETRIES = 3;
const READ_BACKOFF = { baseMs: 300, maxMs: 2_000, random: Math.random };

/**
 * `fetch` that tries reads (GET, HEAD) again, with backoff, when they fail without an answer: a
 * dropped connection, or Chromium's ERR_NETWORK_CHANGED, which aborts every request in flight
 * when the machine's network changes (Wi-Fi, VPN, a docked laptop). Writes are never repeated:
 * the server may have done them. Throws the AbortError of a cancelled request, else a network
 * ApiError.
 */
async function fetchRetryingReads(path: string, init: RequestInit): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const isRead = method === 'GET' || method === 'HEAD';
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetch(path, init);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      if (!isRead || attempt >= READ_RETRIES || init.signal?.aborted) throw networkError();
    }
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, READ_BACKOFF)));
  }
}

/** Sends one request to the same-origin API; throws ApiError for every kind of failure. */
export async function request<T = void>(
  method: string,
  path: string,
  options: RequestOptions<T> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (isRawBody(options.body)) {
      body = options.body;
      headers['content-type'] = 'application/octet-stream';
    } else {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
  }
  const response = await fetchRetryingReads(path, {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  const data = await readJson(response);
  if (!response.ok) {
    throw apiErrorFromResponse(response.status, data, parseRetryAfter(response.headers.get('retry-after')));
  }
  if (!options.schema) return undefined as T;
  try {
    return options.schema.parse(data);
  } catch {
    throw new ApiError(
      response.status,
      'bad_response',
      'The server sent a response this page does not understand — reload the page.',
    );
  }
}

/** Fetches raw bytes (file contents). */
export async function requestBlob(path: string): Promise<Blob> {
  const response = await fetchRetryingReads(path, { credentials: 'same-origin' });
  if (!response.ok) {
    throw apiErrorFromResponse(
      response.status,
      await readJson(response),
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }
  return response.blob();
}
