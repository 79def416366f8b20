import { AppError } from '../../core/errors.ts';
import { statusOf } from './api.ts';

export interface BackoffOptions {
  signal: AbortSignal;
  /** Tries in all, the first included. */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/** Rate-limit reasons Google puts in a 403 (a 403 for anything else, e.g. a missing scope, is not retried). */
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

export function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  const data = (error as { response?: { data?: unknown } }).response?.data as
    { error?: { errors?: { reason?: string }[]; status?: string } } | undefined;
  const reasons = data?.error?.errors?.map((e) => e.reason ?? '') ?? [];
  return reasons.some((r) => RATE_REASONS.has(r)) || data?.error?.status === 'RESOURCE_EXHAUSTED';
}

/**
 * Retries a call that Google rate-limited (429, or 403 with a rate reason), waiting with "full jitter"
 * (a random time up to base·2^attempt, capped), so parallel fetches do not come back in step.
 * Any other error, and the last attempt's, is thrown as it is.
 */
export async function withBackoff<T>(run: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 8000;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt + 1 >= attempts || !isRateLimited(error) || options.signal.aborted) throw error;
      await sleep(Math.round(random() * Math.min(max, base * 2 ** attempt)), options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError('aborted', 'cancelled while waiting out a rate limit', { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
