import { AppError } from './errors.ts';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export interface HttpRequest {
  url: string;
  signal: AbortSignal;
  /** Per-request time limit, on top of the caller's signal. */
  timeoutMs: number;
  maxBytes?: number;
  headers?: Record<string, string>;
  /** A JSON body makes it a POST. */
  json?: unknown;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Headers;
  /** Decoded with the charset of the Content-Type header, else UTF-8. */
  body: string;
  /** The raw bytes, for formats that declare their own encoding (XML). */
  bytes: Buffer;
}

const USER_AGENT = 'DailyBrief/0.1 (+local desktop app)';

/**
 * GET with a time limit and a size bound. The body is read as a stream and abandoned as soon as it
 * passes `maxBytes`, so a hostile or broken server cannot make us buffer gigabytes.
 * Non-2xx statuses are returned, not thrown: callers decide (304 is a success for feeds).
 */
export async function httpGet(request: HttpRequest): Promise<HttpResponse> {
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]);
  const host = safeHost(request.url);
  let response: Response;
  try {
    const post = request.json !== undefined;
    response = await fetch(request.url, {
      signal,
      headers: {
        'user-agent': USER_AGENT,
        accept: '*/*',
        ...(post ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      redirect: 'follow',
      ...(post ? { method: 'POST', body: JSON.stringify(request.json) } : {}),
    });
  } catch (error) {
    throw wrapNetworkError(error, host, request.timeoutMs, signal);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(host, maxBytes);
  }
  const bytes = await readBoundedBody(response, maxBytes, {
    tooLarge: () => tooLarge(host, maxBytes),
    broken: (error) => wrapNetworkError(error, host, request.timeoutMs, signal),
  });
  const body = decodeBody(bytes, response.headers.get('content-type'));
  return { url: response.url || request.url, status: response.status, headers: response.headers, body, bytes };
}

/** GET (or POST, with `json`) that must succeed with 2xx and parse as JSON. */
export async function httpGetJson(request: HttpRequest): Promise<unknown> {
  const response = await httpGet({ ...request, headers: { accept: 'application/json', ...request.headers } });
  if (response.status < 200 || response.status > 299) {
    throw new AppError('http_status', `${safeHost(request.url)} answered HTTP ${response.status}`);
  }
  try {
    return JSON.parse(response.body) as unknown;
  } catch (error) {
    throw new AppError('bad_json', `${safeHost(request.url)} sent a response that is not JSON`, { cause: error });
  }
}

/**
 * A response body read up to `maxBytes`: past it the stream is cancelled and `tooLarge()` thrown, so a huge answer
 * is cut off instead of buffered. A stream that breaks becomes `broken(error)`; AppErrors pass through.
 */
export async function readBoundedBody(
  response: Response,
  maxBytes: number,
  errors: { tooLarge: () => AppError; broken: (error: unknown) => AppError },
): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw errors.tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw errors.broken(error);
  }
  return Buffer.concat(chunks);
}

function decodeBody(bytes: Buffer, contentType: string | null): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function tooLarge(host: string, maxBytes: number): AppError {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new AppError('too_large', `${host} sent more than ${mb} MB`, { hint: 'The response was cut off and ignored' });
}

function wrapNetworkError(error: unknown, host: string, timeoutMs: number, signal: AbortSignal): AppError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new AppError('timeout', `${host} did not answer within ${timeoutMs} ms`, { cause: error });
    }
    return new AppError('aborted', `request to ${host} was cancelled`, { cause: reason ?? error });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return new AppError('network', `could not reach ${host} (${cause})`, {
    hint: 'Check the network connection and the URL in settings',
    cause: error,
  });
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 80);
  }
}
