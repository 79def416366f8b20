import { AppError, describeError } from '../core/errors.ts';
import type { Envelope } from './bridge.ts';

/** The one shape an error crosses a process boundary in: code, one-line message, fix hint. No stack. */
export function failure(error: unknown): Envelope<never> {
  if (error instanceof AppError) {
    return {
      ok: false,
      error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    };
  }
  return { ok: false, error: { code: 'internal', message: describeError(error) } };
}

export async function settle<T>(run: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return failure(error);
  }
}
