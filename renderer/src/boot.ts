import { settleWithin } from '../../contract/settle.ts';
import { pickClient } from './client/pick.ts';
import type { Brief, DailyBriefClient } from './client/types.ts';

/**
 * The first thing the page runs: main.tsx imports this module before the UI library, so the one read of the cached
 * brief is on the wire while the rest of the bundle is still being evaluated, not after it.
 */
export const client: DailyBriefClient | undefined = pickClient(window);

export const firstBrief: Promise<Brief | null> | undefined = client?.['brief/latest']({});

/**
 * A read's brief if it comes back within `waitMs`, so the first render can already show it (one render instead of an
 * empty page and a second pass). A slow or failed read gives "not yet": the app mounts and goes on waiting for it.
 */
export function settledWithin(
  read: Promise<Brief | null> | undefined,
  waitMs: number,
): Promise<{ brief: Brief | null } | undefined> {
  return read
    ? settleWithin(
        read.then((brief) => ({ brief })),
        waitMs,
      )
    : Promise.resolve(undefined);
}
