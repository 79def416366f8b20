import { z } from 'zod';

/**
 * Connected accounts: address, status and when connected. Not secret, so it lives in the store's key/value
 * table (the connectors reach it through the same table); the tokens live in a SecretStore under `tokenKey()`.
 */
export type AccountProvider = 'google';
export type AccountStatus = 'connected' | 'needs-reconnect';

export interface Account {
  provider: AccountProvider;
  address: string;
  status: AccountStatus;
  connectedAt: string;
}

/** The part of the store (or of a connector cache) the registry needs. */
export interface KeyValue {
  getValue(key: string): unknown;
  putValue(key: string, value: unknown): void;
}

const ACCOUNTS_KEY = 'accounts';

const accountSchema = z.object({
  provider: z.literal('google'),
  address: z.string().min(3),
  status: z.enum(['connected', 'needs-reconnect']),
  connectedAt: z.string(),
  /** Why it needs reconnecting, in one line. */
  problem: z.string().optional(),
});
const listSchema = z.array(accountSchema);
export type StoredAccount = z.infer<typeof accountSchema>;

export function tokenKey(provider: AccountProvider, address: string): string {
  return `${provider}:${address.toLowerCase()}`;
}

export class AccountRegistry {
  private readonly kv: KeyValue;

  constructor(kv: KeyValue) {
    this.kv = kv;
  }

  /** Every account; `_provider` is there for when a second provider exists (today all are Google). */
  list(_provider?: AccountProvider): StoredAccount[] {
    const parsed = listSchema.safeParse(this.kv.getValue(ACCOUNTS_KEY) ?? []);
    const all = parsed.success ? parsed.data : [];
    return all;
  }

  /** Adds or replaces the account (reconnecting an address makes it "connected" again). */
  upsert(account: Account): void {
    const others = this.list().filter((a) => !same(a, account.provider, account.address));
    this.save([...others, { ...account, address: account.address.toLowerCase() }]);
  }

  markNeedsReconnect(provider: AccountProvider, address: string, problem: string): void {
    this.save(this.list().map((a) => (same(a, provider, address) ? { ...a, status: 'needs-reconnect', problem } : a)));
  }

  /** True when the account was there. */
  remove(provider: AccountProvider, address: string): boolean {
    const all = this.list();
    const kept = all.filter((a) => !same(a, provider, address));
    this.save(kept);
    return kept.length !== all.length;
  }

  private save(accounts: StoredAccount[]): void {
    this.kv.putValue(
      ACCOUNTS_KEY,
      [...accounts].sort((a, b) => a.address.localeCompare(b.address)),
    );
  }
}

/** What the API returns: the contract's shape, without internal fields. */
export function publicAccount(account: StoredAccount): Account {
  return {
    provider: account.provider,
    address: account.address,
    status: account.status,
    connectedAt: account.connectedAt,
  };
}

function same(account: StoredAccount, _provider: AccountProvider, address: string): boolean {
  return account.address === address.toLowerCase();
}
