import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStore } from './file-store.ts';
import { refusingStore } from './open.ts';

const dir = mkdtempSync(join(tmpdir(), 'db-file-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('what a secret store says about presence', () => {
  it('the file store answers from its entries, without the key that decrypts them', async () => {
    const path = join(dir, 'secrets.enc.json');
    const store = fileStore({ path, keyPath: join(dir, 'a.key') });
    expect(await store.has('google:you@example.com')).toBe(false);
    await store.set('google:you@example.com', 'refresh-token');
    // Another key cannot read the token, but can tell it is there.
    const otherKey = fileStore({ path, keyPath: join(dir, 'b.key') });
    await expect(otherKey.get('google:you@example.com')).rejects.toThrow(/cannot be decrypted/);
    expect(await otherKey.has('google:you@example.com')).toBe(true);
    expect(await otherKey.has('toString')).toBe(false);
  });

  it('a store that keeps nothing has nothing, where every other call refuses', async () => {
    const store = refusingStore('no Secret Service');
    expect(await store.has('google:you@example.com')).toBe(false);
    await expect(store.get('google:you@example.com')).rejects.toThrow(/no OS keyring/);
  });
});
