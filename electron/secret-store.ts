import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { safeStorage } from 'electron';
import { AppError } from '../core/errors.ts';
import type { SecretStore } from '../core/secrets/types.ts';

/**
 * The desktop app's SecretStore: values encrypted by Electron safeStorage (Keychain, DPAPI, libsecret/KWallet),
 * kept base64 in one 0600 JSON file. Linux's `basic_text` backend (a hard-coded key) is refused: that would be
 * plain text with extra steps. Call after the app is ready.
 */
export function safeStorageStore(path: string): SecretStore {
  const refuseBasicText = (): void => {
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new AppError('no_keyring', 'there is no system keyring for Electron to encrypt tokens with (basic_text)', {
        hint: 'Install and unlock GNOME Keyring or KWallet, then restart Daily Brief',
      });
    }
  };
  const encrypt = async (value: string): Promise<Buffer> => {
    refuseBasicText();
    if (typeof safeStorage.encryptStringAsync === 'function') return safeStorage.encryptStringAsync(value);
    // Electron before 41 has only the synchronous API.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return safeStorage.encryptString(value);
  };
  const decrypt = async (data: Buffer): Promise<string> => {
    refuseBasicText();
    if (typeof safeStorage.decryptStringAsync === 'function')
      return (await safeStorage.decryptStringAsync(data)).result;
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return safeStorage.decryptString(data);
  };
  return {
    label: 'Electron safeStorage',
    get: async (key) => {
      const value = read(path)[key];
      return value === undefined ? undefined : decrypt(Buffer.from(value, 'base64'));
    },
    // No decryption, so no keyring prompt, to say whether it is there.
    has: (key) => Promise.resolve().then(() => Object.hasOwn(read(path), key)),
    set: async (key, value) => {
      const entries = read(path);
      entries[key] = (await encrypt(value)).toString('base64');
      write(path, entries);
    },
    delete: (key) => {
      const entries = read(path);
      if (key in entries) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a record keyed by secret name
        delete entries[key];
        write(path, entries);
      }
      return Promise.resolve();
    },
  };
}

function read(path: string): Record<string, string> {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>) : {};
}

function write(path: string, entries: Record<string, string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(temp, JSON.stringify(entries), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export interface DesktopSecretsOptions {
  /** The OS keyring the CLI uses, or why it cannot be reached (core/secrets/keyring-store.ts). */
  keyring: () => SecretStore;
  keyringUnavailable: () => Promise<string | undefined>;
  /** The safeStorage file: where earlier versions kept tokens, and the store when there is no keyring. */
  safeStorage: () => SecretStore;
  /** DAILY_BRIEF_NO_KEYRING=1 (set by the tests) keeps the real keyring out of reach. */
  env: NodeJS.ProcessEnv;
}

/**
 * One data folder, one secret store: the desktop app keeps tokens where the CLI does, the OS keyring, so an
 * account connected in either works in both. A token an earlier version left in the safeStorage file moves to
 * the keyring the first time it is read. Only where the keyring cannot be reached (a KWallet without its
 * Secret Service) does the app fall back to safeStorage alone, and the CLI then says the token is elsewhere.
 */
export async function desktopSecretStore(options: DesktopSecretsOptions): Promise<SecretStore> {
  const skip = options.env.DAILY_BRIEF_NO_KEYRING === '1';
  if (skip || (await options.keyringUnavailable()) !== undefined) return options.safeStorage();
  const keyring = options.keyring();
  let legacy: SecretStore | undefined;
  const old = () => (legacy ??= options.safeStorage());
  return {
    label: keyring.label,
    get: async (key) => {
      const value = await keyring.get(key);
      if (value !== undefined) return value;
      const moved = await old().get(key);
      if (moved === undefined) return undefined;
      await keyring.set(key, moved);
      await old().delete(key);
      return moved;
    },
    // A token still in the safeStorage file is here too: the next read moves it to the keyring.
    has: async (key) => (await keyring.has(key)) || (await old().has(key)),
    set: async (key, value) => {
      await keyring.set(key, value);
      await old().delete(key);
    },
    delete: async (key) => {
      await keyring.delete(key);
      await old().delete(key);
    },
  };
}
