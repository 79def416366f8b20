// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { settledWithin } from '../src/boot.ts';
import type { Brief } from '../src/client/types.ts';

const brief = { id: 'b1' } as Brief;

describe('waiting for the first brief before mounting', () => {
  it('gives the brief when the read is back in time, and "none yet" when there is none', async () => {
    expect(await settledWithin(Promise.resolve(brief), 1000)).toEqual({ brief });
    expect(await settledWithin(Promise.resolve(null), 1000)).toEqual({ brief: null });
  });

  it('mounts without it when the read is slow or fails (the app then goes on waiting or shows the error)', async () => {
    const never = new Promise<Brief>(() => undefined);
    expect(await settledWithin(never, 20)).toBeUndefined();
    expect(await settledWithin(Promise.reject(new Error('core down')), 1000)).toBeUndefined();
    expect(await settledWithin(undefined, 1000)).toBeUndefined();
  });
});
