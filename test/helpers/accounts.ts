import { join } from 'node:path';
import { AccountRegistry, type StoredAccount } from '../../core/accounts.ts';
import { fileStore, SECRETS_FILE } from '../../core/secrets/file-store.ts';
import type { SecretStore } from '../../core/secrets/types.ts';
import { Store } from '../../core/store/store.ts';

const CONNECTED_AT = '2026-11-01T00:00:00Z';

export function googleAccount(address: string): StoredAccount {
  return { provider: 'google', address, status: 'connected', connectedAt: CONNECTED_AT };
}

/** An IMAP account as `connect imap` stores it: named by its login, on port 993 with TLS. */
export function imapAccount(user: string, host: string): StoredAccount {
  return {
    provider: 'imap',
    address: user,
    name: user,
    status: 'connected',
    connectedAt: CONNECTED_AT,
    imap: { host, port: 993, security: 'tls', user, mailbox: 'INBOX' },
  };
}

/**
 * Writes accounts into the data folder's database through the real store and registry, as `connect` leaves them;
 * each of `broken` is then marked as needing reconnecting, with its one-line problem.
 */
export function seedAccounts(dir: string, accounts: StoredAccount[], broken: [StoredAccount, string][] = []): void {
  const store = Store.open(dir);
  const registry = new AccountRegistry({
    getValue: (key) => store.getValue(key),
    putValue: (key, value) => {
      store.putValue(key, value, '2026-12-01T06:00:00.000Z');
    },
  });
  for (const account of [...accounts, ...broken.map(([account]) => account)]) registry.upsert(account);
  for (const [account, problem] of broken) {
    registry.markNeedsReconnect(account.provider, account.name ?? account.address, problem);
  }
  store.close();
}

/**
 * The opt-in encrypted file store, exactly where the CLI opens it when run with `env` (no keyring, its key under
 * `<dir>/state`) and `secrets.allowFileStore: true`.
 */
export function fileSecrets(dir: string): { store: SecretStore; env: Record<string, string> } {
  const state = join(dir, 'state');
  const store = fileStore({ path: join(dir, SECRETS_FILE), keyPath: join(state, 'daily-brief', 'secrets.key') });
  return { store, env: { DAILY_BRIEF_NO_KEYRING: '1', XDG_STATE_HOME: state } };
}
