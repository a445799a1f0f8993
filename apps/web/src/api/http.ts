import { ApiError, apiErrorFromResponse, networkError, parseRetryAfter } from './api-error';

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
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
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
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    throw apiErrorFromResponse(
      response.status,
      await readJson(response),
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }
  return response.blob();
}
