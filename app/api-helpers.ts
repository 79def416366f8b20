import type { z } from 'zod';
import { AppError } from '../core/errors.ts';

/** Arguments checked with the call's schema; a mistake is one AppError line naming the call and field. */
export function parseArgs<S extends z.ZodType>(call: string, schema: S, args: unknown): z.output<S> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'arguments';
  throw new AppError('invalid_args', `${call}: ${field}: ${issue?.message ?? 'invalid'}`, { cause: result.error });
}

/** Every call answers with a promise, and a bad argument is a rejection, never a synchronous throw. */
export function call<A, R>(run: (args: A) => R | Promise<R>): (args: A) => Promise<R> {
  return (args) => {
    try {
      return Promise.resolve(run(args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
