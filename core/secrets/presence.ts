import { settleWithin } from '../settle.ts';
import type { SecretStore } from './types.ts';

/** How long a list waits for the secret store to say whether a secret is there (a keyring may be asking to unlock). */
export const PRESENCE_WAIT_MS = 5_000;

/**
 * For each key, whether the store keeps a secret under it; undefined where it could not say (an error, or no
 * answer) within `waitMs`. One budget covers opening the store (a keyring probe may wait on an unlock prompt) and
 * asking it, so a list never waits longer than that. Presence only: `has` never hands a value out.
 */
export async function presentWithin(
  opening: Promise<SecretStore>,
  keys: string[],
  waitMs: number = PRESENCE_WAIT_MS,
): Promise<(boolean | undefined)[]> {
  if (keys.length === 0) return [];
  const deadline = performance.now() + waitMs;
  const left = () => Math.max(0, deadline - performance.now());
  const store = await settleWithin(opening, left());
  if (!store) return keys.map(() => undefined);
  return Promise.all(keys.map((key) => settleWithin(store.has(key), left())));
}
