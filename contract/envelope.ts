import { AppError, describeError, type ErrorCode } from '../core/errors.ts';

export { AppError, ERROR_CODES, type ErrorCode } from '../core/errors.ts';

/** An error as it crosses a process or network boundary: a code from the closed list, one line, a fix. No stack. */
export interface WireError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** The one answer shape of every call, over HTTP, IPC and in the CLI. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** Any thrown value as an envelope; what is not an AppError is `unexpected`, described in one line. */
export function failure(error: unknown): Envelope<never> {
  return { ok: false, error: wireError(error) };
}

export function wireError(error: unknown): WireError {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  return { code: 'unexpected', message: `unexpected error: ${describeError(error)}` };
}

export async function settle<T>(run: () => T | Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return failure(error);
  }
}

/** The value, or the error thrown again as an AppError with the same code, message and hint. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw fromWire(envelope.error);
}

export function fromWire(error: WireError): AppError {
  return new AppError(error.code, error.message, error.hint ? { hint: error.hint } : {});
}
