import type { Clock } from '../../core/clock.ts';
import {
  accountKey,
  publicAccount,
  tokenKey,
  type Account,
  type AccountRegistry,
  type StoredAccount,
} from '../../core/accounts.ts';
import type { SecretStore } from '../../core/secrets/types.ts';

/** What connecting a password account needs: where it is recorded and where its secret goes. */
export interface ConnectDeps {
  accounts: AccountRegistry;
  secrets: SecretStore;
  clock: Clock;
  signal?: AbortSignal;
}

/** How long the check at connect may take: long enough for a slow server, short enough for a person waiting. */
export const CHECK_TIMEOUT_MS = 20_000;

/**
 * Saves an account only after its check passed: the secret first, so an account is never listed without one.
 * Connecting the same name again replaces it, which is how a changed password is put in.
 */
export async function saveAccount(
  deps: ConnectDeps,
  account: Omit<StoredAccount, 'status' | 'connectedAt'>,
  secret: string,
): Promise<Account> {
  await deps.secrets.set(tokenKey(account.provider, accountKey(account)), secret);
  const stored: StoredAccount = { ...account, status: 'connected', connectedAt: deps.clock.now().toISOString() };
  deps.accounts.upsert(stored);
  return publicAccount(stored);
}

/** A name given with --name, else the login (or host) it stands for. */
export function chooseName(name: string | undefined, fallback: string): string {
  const trimmed = name?.trim();
  return trimmed ? trimmed : fallback;
}
