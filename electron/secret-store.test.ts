import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SecretStore } from '../core/secrets/types.ts';

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

const { desktopSecretStore, safeStorageStore } = await import('./secret-store.ts');

function memoryStore(label: string): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    label,
    get: (key) => Promise.resolve(values.get(key)),
    has: (key) => Promise.resolve(values.has(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
}

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

  it('says whether a token is there without decrypting it', async () => {
    const store = safeStorageStore(join(dir, 'secrets.json'));
    expect(await store.has('google:you@example.com')).toBe(false);
    await store.set('google:you@example.com', '1//refresh-token');
    // basic_text refuses every decryption: presence needs none, so it still answers.
    backend.value = 'basic_text';
    expect(await store.has('google:you@example.com')).toBe(true);
    expect(await store.has('constructor')).toBe(false);
  });

  it.runIf(process.platform === 'linux')('refuses the basic_text backend', async () => {
    backend.value = 'basic_text';
    const store = safeStorageStore(join(dir, 'secrets.json'));
    await expect(store.set('k', 'v')).rejects.toThrow(/no system keyring .*basic_text/);
  });
});

describe('the desktop app’s secret store', () => {
  const setup = (keyringProblem: string | undefined, env: NodeJS.ProcessEnv = {}) => {
    const keyring = memoryStore('OS keyring');
    const safe = memoryStore('Electron safeStorage');
    const options = {
      keyring: () => keyring,
      keyringUnavailable: vi.fn(() => Promise.resolve(keyringProblem)),
      safeStorage: () => safe,
      env,
    };
    return { keyring, safe, options };
  };

  it('is the OS keyring the CLI uses, so a token set by either front end is read by the other', async () => {
    const { keyring, safe, options } = setup(undefined);
    const store = await desktopSecretStore(options);
    expect(store.label).toBe('OS keyring');
    await store.set('google:me@example.com', 'from-the-app');
    expect(keyring.values.get('google:me@example.com')).toBe('from-the-app');
    keyring.values.set('google:cli@example.com', 'from-the-cli');
    expect(await store.get('google:cli@example.com')).toBe('from-the-cli');
    expect(safe.values.size).toBe(0);
  });

  it('moves a token an earlier version kept in safeStorage into the keyring when it is first read', async () => {
    const { keyring, safe, options } = setup(undefined);
    safe.values.set('google:old@example.com', 'legacy-token');
    const store = await desktopSecretStore(options);
    expect(await store.get('google:old@example.com')).toBe('legacy-token');
    expect(keyring.values.get('google:old@example.com')).toBe('legacy-token');
    expect(safe.values.has('google:old@example.com')).toBe(false);
    await store.delete('google:old@example.com');
    expect(await store.get('google:old@example.com')).toBeUndefined();
  });

  it('has a token kept in either the keyring or, from an earlier version, the safeStorage file', async () => {
    const { keyring, safe, options } = setup(undefined);
    keyring.values.set('google:cli@example.com', 'from-the-cli');
    safe.values.set('google:old@example.com', 'legacy-token');
    const store = await desktopSecretStore(options);
    expect(await store.has('google:cli@example.com')).toBe(true);
    expect(await store.has('google:old@example.com')).toBe(true);
    expect(await store.has('google:none@example.com')).toBe(false);
  });

  it('falls back to safeStorage where the keyring cannot be reached, or the tests keep it out of reach', async () => {
    const unreachable = setup('org.freedesktop.secrets was not provided');
    expect((await desktopSecretStore(unreachable.options)).label).toBe('Electron safeStorage');
    const hermetic = setup(undefined, { DAILY_BRIEF_NO_KEYRING: '1' });
    expect((await desktopSecretStore(hermetic.options)).label).toBe('Electron safeStorage');
    expect(hermetic.options.keyringUnavailable).not.toHaveBeenCalled();
  });
});
