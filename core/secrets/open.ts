import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { defaultKeyPath, fileStore, SECRETS_FILE } from './file-store.ts';
import type { SecretStore } from './types.ts';

export interface OpenSecretsOptions {
  dataDir: string;
  allowFileStore: boolean;
  /** Called once when the file store is chosen: the user opted in, but should still hear it. */
  warn?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How long each keyring call may take (KEYRING_WAIT_MS): past it, the call fails with `secrets_timeout`. */
  waitMs?: number;
  /** Aborted when the caller stops (the runtime): the keyring's helper process is stopped with it. */
  signal?: AbortSignal;
}

/**
 * The CLI's secret store: the OS keyring where one works; otherwise the encrypted 0600 file if the user opted
 * in; otherwise a store that refuses every call with the fix. `DAILY_BRIEF_NO_KEYRING=1` skips the keyring (the
 * tests set it, so they never touch a developer's real keyring). A keyring that does not answer in time (locked,
 * its unlock prompt unseen, or a stuck Secret Service) is neither: opening fails with `secrets_timeout`, and the
 * next open asks again.
 */
export async function openSecretStore(options: OpenSecretsOptions): Promise<SecretStore> {
  const env = options.env ?? process.env;
  if (env.DAILY_BRIEF_NO_KEYRING === '1') return secretStoreFor('DAILY_BRIEF_NO_KEYRING is set', options);
  // The keyring's helper starts only when secrets are needed, not on every command that reads the store.
  const { openKeyring } = await import('./keyring-process.ts');
  const keyring = openKeyring({
    ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const reason = await keyring.unavailable();
    if (reason === undefined) return keyring.store;
    keyring.close();
    return secretStoreFor(reason, options);
  } catch (error) {
    keyring.close();
    throw error;
  }
}

/**
 * The store to use without the OS keyring, `reason` saying why there is none. Opening it touches nothing: the
 * file store's files are made on the first write.
 */
export function secretStoreFor(reason: string, options: OpenSecretsOptions): SecretStore {
  if (options.allowFileStore) {
    const path = join(options.dataDir, SECRETS_FILE);
    const keyPath = defaultKeyPath(options.env ?? process.env);
    options.warn?.(
      `no OS keyring (${reason}): tokens go to ${path} (mode 0600, encrypted with the key in ${keyPath}), as secrets.allowFileStore asks`,
    );
    return fileStore({ path, keyPath });
  }
  return refusingStore(reason);
}

const refusing = new WeakMap<SecretStore, () => Promise<never>>();

/** Fails at once with the refusal, so `connect` stops before the user goes through the consent page for nothing. */
export async function assertCanStore(store: SecretStore): Promise<void> {
  await refusing.get(store)?.();
}

/** Used where tokens must not be kept: every call fails with one line saying how to fix it. */
export function refusingStore(reason: string): SecretStore {
  const refuse = (): Promise<never> =>
    Promise.reject(
      new AppError('no_keyring', `there is no OS keyring to keep account tokens and passwords in (${reason})`, {
        hint: 'Install and unlock GNOME Keyring or KWallet, or set secrets.allowFileStore: true in settings.json to keep them in an encrypted file readable only by you',
      }),
    );
  const store: SecretStore = {
    label: 'none (no keyring)',
    get: refuse,
    // Nothing can be kept here, so nothing is: an account listed from elsewhere has its secret elsewhere.
    has: () => Promise.resolve(false),
    set: refuse,
    delete: refuse,
  };
  refusing.set(store, refuse);
  return store;
}
