import { ChromaConnectionError } from 'chromadb';
import { AppError } from '../../core/errors.ts';

/** Calls to a Chroma server: where it is, its heartbeat, and each call's time limit and one-line errors. */

const HEARTBEAT_TIMEOUT_MS = 3000;

export interface Target {
  host: string;
  port: number;
  ssl: boolean;
  /** host:port, for messages. */
  label: string;
  origin: string;
}

export function parseTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new AppError('chroma_url', `the Chroma address "${url}" is not a URL`, {
      hint: 'Write it like http://127.0.0.1:8000',
      cause: error,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('chroma_url', `the Chroma address "${url}" is not http or https`, {
      hint: 'Write it like http://127.0.0.1:8000',
    });
  }
  const ssl = parsed.protocol === 'https:';
  const port = parsed.port ? Number(parsed.port) : ssl ? 443 : 80;
  // The client wants a bare host: IPv6 literals come without their brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, ssl, label: parsed.host, origin: parsed.origin };
}

export async function checkHeartbeat(target: Target, signal: AbortSignal | undefined): Promise<void> {
  const timeout = AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`${target.origin}/api/v2/heartbeat`, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await response.body?.cancel();
  } catch (error) {
    if (signal?.aborted) throw new AppError('aborted', `the request to Chroma at ${target.label} was cancelled`);
    const why = timeout.aborted ? `no answer within ${HEARTBEAT_TIMEOUT_MS} ms` : networkCode(error);
    throw new AppError('chroma_unreachable', `Chroma is not reachable at ${target.label} (${why})`, {
      hint: 'Check that the Chroma server is running',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new AppError('chroma_unreachable', `Chroma at ${target.label} answered HTTP ${response.status}`, {
      hint: 'Check that the address is a Chroma server (version 1.x, API v2)',
    });
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, "bad port", …) is in its cause. */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** One call to the server, within its time limit, with any failure turned into one AppError line. */
export async function guarded<T>(
  target: Target,
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // The client takes no per-call signal, so a stuck call is abandoned rather than cancelled.
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('chroma_timeout', `Chroma at ${target.label} did not ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = () => {
      reject(new AppError('aborted', `the request to Chroma at ${target.label} was cancelled`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    if (signal?.aborted) throw new AppError('aborted', `the request to Chroma at ${target.label} was cancelled`);
    return await Promise.race([run(), limit]);
  } catch (error) {
    throw toAppError(error, target, what);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function toAppError(error: unknown, target: Target, what: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ChromaConnectionError) {
    return new AppError('chroma_unreachable', `Chroma is not reachable at ${target.label}`, {
      hint: 'Check that the Chroma server is running',
      cause: error,
    });
  }
  const dims = /expecting embedding with dimension of (\d+), got (\d+)/.exec(message);
  if (dims) {
    return new AppError(
      'memory_dimensions',
      `a ${dims[2] ?? '?'}-dimension vector does not fit the Chroma memory's ${dims[1] ?? '?'}-dimension vectors`,
      {
        hint: 'The embedding model changed: go back to the previous model, or clear the memory so it is rebuilt',
        cause: error,
      },
    );
  }
  // "Bad request to http://…/upsert with status: <the server's reason>": the reason is what matters.
  const reason = (message.split(' with status: ').at(-1) ?? message).split('\n')[0] ?? message;
  return new AppError('chroma_request', `Chroma at ${target.label} could not ${what} (${reason.slice(0, 200)})`, {
    cause: error,
  });
}
