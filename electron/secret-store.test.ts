import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The electron module cannot run here; safeStorage is mocked with a reversible "cipher" so the store's own
// behaviour (what is written, when it refuses) is what is tested.
const backend = { value: 'gnome_libsecret' };
vi.mock('electron', () => ({
  safeStorage: {
    getSelectedStorageBackend: () => backend.value,
    encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`enc:${Buffer.from(text).toString('hex')}`)),
    decryptStringAsync: (data: Buffer) =>
      Promise.resolve({ shouldReEncrypt: false, result: Buffer.from(data.toString().slice(4), 'hex').toString() }),
  },
}));

const { safeStorageStore } = await import('./secret-store.ts');

describe('Electron safeStorage secret store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-safe-'));
    backend.value = 'gnome_libsecret';
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores only what safeStorage encrypted, in a 0600 file, and reads it back', async () => {
    const path = join(dir, 'secrets.json');
    const store = safeStorageStore(path);
    await store.set('google:you@example.com', '1//refresh-token');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('refresh-token');
    expect(await store.get('google:you@example.com')).toBe('1//refresh-token');
    await store.delete('google:you@example.com');
    expect(await store.get('google:you@example.com')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('refuses the basic_text backend', async () => {
    backend.value = 'basic_text';
    const store = safeStorageStore(join(dir, 'secrets.json'));
    await expect(store.set('k', 'v')).rejects.toThrow(/no system keyring .*basic_text/);
  });
});
