import { AppError } from '../../core/errors.ts';
import { readBoundedBody, safeHost } from '../../core/http.ts';
import { networkProblem } from '../accounts/network-errors.ts';

export interface FetchLimits {
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
}

/**
 * The `fetch` handed to tsdav: every request with the refresh's signal, its own time limit and a size bound on
 * the body (read here, so a huge answer is cut off instead of buffered), and a refused password as one error
 * wherever in the discovery it happens.
 */
export function boundedFetch(limits: FetchLimits, user: string): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const host = safeHost(url);
    const signal = AbortSignal.any([limits.signal, AbortSignal.timeout(limits.timeoutMs)]);
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      throw (
        networkProblem(error, host, 'server') ??
        new AppError('network', `could not reach ${host}`, { hint: 'Check the URL and the network', cause: error })
      );
    }
    if (response.status === 401) {
      await response.body?.cancel().catch(() => undefined);
      throw new AppError('auth_failed', `${host} refused the user name or password for ${user}`, {
        hint: 'Check both; most providers want an app password here, not your usual one',
      });
    }
    const bytes = await readBoundedBody(response, limits.maxBytes, {
      tooLarge: () =>
        new AppError('too_large', `${host} sent more than ${String(Math.round(limits.maxBytes / 1024))} KB`, {
          hint: 'Raise refresh.maxResponseBytes for a very large calendar',
        }),
      broken: (error) =>
        networkProblem(error, host, 'server') ?? new AppError('network', `${host} broke off`, { cause: error }),
    });
    return new Response(bytes.length ? Uint8Array.from(bytes) : null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
