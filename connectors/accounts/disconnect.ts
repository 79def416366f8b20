import {
  accountKey,
  ACCOUNT_PROVIDERS,
  publicAccount,
  tokenKey,
  type Account,
  type AccountProvider,
  type AccountRegistry,
  type KeyValue,
  type StoredAccount,
} from '../../core/accounts.ts';
import { AppError } from '../../core/errors.ts';
import type { SecretStore } from '../../core/secrets/types.ts';

/**
 * The account a `disconnect ACCOUNT` means: "provider:name", or a name or address that only one account has.
 * Undefined means none; several matching is an error that lists how to tell them apart.
 */
export function findAccount(accounts: AccountRegistry, handle: string): StoredAccount | undefined {
  const wanted = handle.trim().toLowerCase();
  const prefix = /^([a-z]+):(.+)$/.exec(wanted);
  const provider = ACCOUNT_PROVIDERS.find((p) => p === prefix?.[1]);
  const key = provider ? (prefix?.[2] ?? '') : wanted;
  const matches = accounts.list(provider).filter((a) => accountKey(a) === key || a.address === key);
  if (matches.length > 1) {
    throw new AppError('ambiguous_account', `"${handle}" could be ${matches.map(handleOf).join(' or ')}`, {
      hint: 'Say which, e.g. `daily-brief disconnect ' + handleOf(matches[0] as StoredAccount) + '`',
    });
  }
  return matches[0];
}

export function handleOf(account: Pick<StoredAccount, 'provider' | 'name' | 'address'>): string {
  return `${account.provider}:${accountKey(account)}`;
}

/** Deletes a password account's secret, its entry and what was synced from it. */
export async function disconnectPasswordAccount(
  deps: { accounts: AccountRegistry; secrets: SecretStore; kv: KeyValue },
  account: StoredAccount,
): Promise<Account[]> {
  const provider: AccountProvider = account.provider;
  const key = accountKey(account);
  await deps.secrets.delete(tokenKey(provider, key));
  deps.accounts.remove(provider, key);
  // Synced mail and events stay out of the store once the account is gone.
  deps.kv.putValue(`${provider}:${key}`, null);
  return deps.accounts.list().map((account) => publicAccount(account));
}
