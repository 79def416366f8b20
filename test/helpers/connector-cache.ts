import type { CachedResponse, ConnectorCache } from '../../connectors/types.ts';
import { AppError } from '../../core/errors.ts';

/** The store's connector cache, in memory, with its contents visible to assertions. */
export function memoryCache(
  initial: Record<string, unknown> = {},
): ConnectorCache & { responses: Map<string, CachedResponse>; values: Map<string, unknown> } {
  const responses = new Map<string, CachedResponse>();
  const values = new Map<string, unknown>(Object.entries(initial));
  return {
    responses,
    values,
    getResponse: (url) => responses.get(url),
    putResponse: (entry) => responses.set(entry.url, { ...entry }),
    getValue: (key) => values.get(key),
    putValue: (key, value) => values.set(key, value),
  };
}

/** The AppError a promise rejects with; anything else fails the test. */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
