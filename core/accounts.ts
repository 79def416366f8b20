import { z } from 'zod';

/**
 * Connected accounts: who, where, status and when connected. Not secret, so it lives in the store's key/value
 * table (the connectors reach it through the same table); tokens, passwords and private calendar URLs live in a
 * SecretStore under `tokenKey()`.
 */
export const ACCOUNT_PROVIDERS = ['google', 'imap', 'caldav', 'ics'] as const;
export type AccountProvider = (typeof ACCOUNT_PROVIDERS)[number];
/**
 * As a front end sees an account. `connected-elsewhere`: the shared list has it, but this front end's secret store
 * has no token or password for it (the desktop app and the CLI keep them in different stores where the OS keyring
 * cannot be reached); connecting it here again fixes that.
 */
export type AccountStatus = 'connected' | 'needs-reconnect' | 'connected-elsewhere';
export const IMAP_SECURITY = ['tls', 'starttls', 'none'] as const;
export type ImapSecurity = (typeof IMAP_SECURITY)[number];

export interface Account {
  provider: AccountProvider;
  /** Google: the address. IMAP and CalDAV: the user name. ICS: the calendar's host (its URL is secret). */
  address: string;
  status: AccountStatus;
  connectedAt: string;
  /** The handle `disconnect` takes: the label, else the address. Unique per provider. */
  name?: string;
  /** Where it is, for people: "imap.example.com:993 (tls)", a CalDAV URL. Never holds a secret. */
  server?: string;
  /** When it is not `connected`: the arguments that connect it again, all but the secret, which is asked for again. */
  reconnect?: ReconnectArgs;
}

/**
 * `accounts/connect`'s arguments for an account already listed, without its secret: the password (IMAP, CalDAV)
 * or the calendar link (ICS, whose link is secret) is asked for again. Google needs only the consent page again.
 */
export type ReconnectArgs =
  | { provider: 'google' }
  | {
      provider: 'imap';
      host: string;
      port: number;
      security: ImapSecurity;
      user: string;
      mailbox: string;
      name: string;
    }
  | { provider: 'caldav'; url: string; user: string; name: string }
  | { provider: 'ics'; name: string };

/** The part of the store (or of a connector cache) the registry needs. */
export interface KeyValue {
  getValue(key: string): unknown;
  putValue(key: string, value: unknown): void;
}

const ACCOUNTS_KEY = 'accounts';

const imapSchema = z.object({
  host: z.string().min(1),
  port: z.int().min(1).max(65535),
  security: z.enum(IMAP_SECURITY),
  user: z.string().min(1),
  mailbox: z.string().min(1),
});
const caldavSchema = z.object({
  url: z.string().min(1),
  user: z.string().min(1),
  /** The owner's calendar addresses (mailto:), so invitations they declined can be dropped. */
  owners: z.array(z.string()),
});

const accountSchema = z.object({
  provider: z.enum(ACCOUNT_PROVIDERS),
  address: z.string().min(1),
  status: z.enum(['connected', 'needs-reconnect']),
  connectedAt: z.string(),
  /** Why it needs reconnecting, in one line. */
  problem: z.string().optional(),
  name: z.string().min(1).optional(),
  imap: imapSchema.optional(),
  caldav: caldavSchema.optional(),
});
const listSchema = z.array(accountSchema);
export type StoredAccount = z.infer<typeof accountSchema>;
export type ImapAccountConfig = z.infer<typeof imapSchema>;
export type CaldavAccountConfig = z.infer<typeof caldavSchema>;

/** What identifies an account within its provider: the label, else the address. */
export function accountKey(account: Pick<StoredAccount, 'name' | 'address'>): string {
  return (account.name ?? account.address).toLowerCase();
}

export function tokenKey(provider: AccountProvider, key: string): string {
  return `${provider}:${key.toLowerCase()}`;
}

export class AccountRegistry {
  private readonly kv: KeyValue;

  constructor(kv: KeyValue) {
    this.kv = kv;
  }

  /** Every account, or those of one provider. */
  list(provider?: AccountProvider): StoredAccount[] {
    const parsed = listSchema.safeParse(this.kv.getValue(ACCOUNTS_KEY) ?? []);
    const all = parsed.success ? parsed.data : [];
    return provider ? all.filter((a) => a.provider === provider) : all;
  }

  /** Adds or replaces the account (reconnecting makes it "connected" again). */
  upsert(account: StoredAccount): void {
    const key = accountKey(account);
    const others = this.list().filter((a) => !same(a, account.provider, key));
    const stored: StoredAccount = { ...account, address: account.address.toLowerCase() };
    delete stored.problem;
    this.save([...others, stored]);
  }

  markNeedsReconnect(provider: AccountProvider, key: string, problem: string): void {
    this.save(this.list().map((a) => (same(a, provider, key) ? { ...a, status: 'needs-reconnect', problem } : a)));
  }

  /** True when the account was there. */
  remove(provider: AccountProvider, key: string): boolean {
    const all = this.list();
    const kept = all.filter((a) => !same(a, provider, key));
    this.save(kept);
    return kept.length !== all.length;
  }

  private save(accounts: StoredAccount[]): void {
    this.kv.putValue(
      ACCOUNTS_KEY,
      [...accounts].sort((a, b) => a.provider.localeCompare(b.provider) || accountKey(a).localeCompare(accountKey(b))),
    );
  }
}

/**
 * What the API returns: the contract's shape, without internal fields. `secretHere: false` when this front end's
 * secret store was found to lack the account's secret (a needs-reconnect account stays that: the fix is the same).
 */
export function publicAccount(account: StoredAccount, secretHere = true): Account {
  const status = account.status === 'connected' && !secretHere ? 'connected-elsewhere' : account.status;
  const out: Account = {
    provider: account.provider,
    address: account.address,
    status,
    connectedAt: account.connectedAt,
  };
  if (account.provider !== 'google') out.name = account.name ?? account.address;
  const server = serverLabel(account);
  if (server) out.server = server;
  const reconnect = status === 'connected' ? undefined : reconnectArgs(account);
  if (reconnect) out.reconnect = reconnect;
  return out;
}

/** Where the account's token, password or link is kept in a SecretStore. */
export function secretKey(account: Pick<StoredAccount, 'provider' | 'name' | 'address'>): string {
  return tokenKey(account.provider, account.provider === 'google' ? account.address : accountKey(account));
}

function reconnectArgs(account: StoredAccount): ReconnectArgs | undefined {
  const name = account.name ?? account.address;
  switch (account.provider) {
    case 'google':
      return { provider: 'google' };
    case 'imap':
      return account.imap && { provider: 'imap', ...account.imap, name };
    case 'caldav':
      return account.caldav && { provider: 'caldav', url: account.caldav.url, user: account.caldav.user, name };
    case 'ics':
      return { provider: 'ics', name };
  }
}

function serverLabel(account: StoredAccount): string | undefined {
  if (account.imap) return `${account.imap.host}:${String(account.imap.port)} (${account.imap.security})`;
  if (account.caldav) return account.caldav.url;
  return undefined;
}

function same(account: StoredAccount, provider: AccountProvider, key: string): boolean {
  return account.provider === provider && accountKey(account) === key.toLowerCase();
}
