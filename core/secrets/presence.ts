import { settleWithin } from '../settle.ts';
import type { SecretStore } from './types.ts';

/** How long a list waits for the secret store to say whether a secret is there (a keyring may be asking to unlock). */
export const PRESENCE_WAIT_MS = 5_000;

/**
 * For each key, whether the store keeps a secret under it; undefined where it could not say (an error, or no
 * answer) within `waitMs`. One budget covers opening the store (a keyring probe may wait on an unlock prompt) and
 * asking it, so a list never waits longer than that. Presence only: `has` never hands a value out. `onProblem`
 * hears the first reason it could not say: the error, or undefined when it was the wait that ran out.
 */
export async function presentWithin(
  opening: Promise<SecretStore>,
  keys: string[],
  waitMs: number = PRESENCE_WAIT_MS,
  onProblem?: (error: unknown) => void,
): Promise<(boolean | undefined)[]> {
  if (keys.length === 0) return [];
  const deadline = performance.now() + waitMs;
  const left = () => Math.max(0, deadline - performance.now());
  let problem: { error: unknown } | undefined;
  // Settled here, so what went wrong is kept: settleWithin says only that there was no answer.
  const within = async <T>(promise: Promise<T>): Promise<T | undefined> => {
    const outcome = await settleWithin(
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      left(),
    );
    if (outcome && 'value' in outcome) return outcome.value;
    problem ??= { error: outcome?.error };
    return undefined;
  };
  const store = await within(opening);
  const present = store ? await Promise.all(keys.map((key) => within(store.has(key)))) : keys.map(() => undefined);
  if (problem) onProblem?.(problem.error);
  return present;
}
