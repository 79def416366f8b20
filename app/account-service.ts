import type { Clock } from '../core/clock.ts';
import type { CaldavConnectOptions } from '../connectors/calendars/connect.ts';
import type { ImapConnectOptions } from '../connectors/imap/connect.ts';
import { AppError, joinHint } from '../core/errors.ts';
import { AccountRegistry, publicAccount, secretKey, type Account, type KeyValue } from '../core/accounts.ts';
import type { Logger } from '../core/log.ts';
import { assertCanStore, openSecretStore } from '../core/secrets/open.ts';
import { keyringTimeout } from '../core/secrets/keyring-process.ts';
import { presentWithin, PRESENCE_WAIT_MS } from '../core/secrets/presence.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import type { Settings } from '../core/settings.ts';
import type { GoogleConnectorDeps } from '../connectors/google/account-auth.ts';

export interface AccountServiceDeps {
  dataDir: string;
  /** The store's key/value table; undefined while there is no database (nothing connected yet). */
  kv: (create: boolean) => KeyValue | undefined;
  settings: () => Promise<Settings>;
  clock: () => Clock;
  /** The desktop app passes its safeStorage store; the CLI opens the keyring (or the opt-in file). */
  secrets?: SecretStore;
  openUrl?: (url: string) => void;
  log: () => Promise<Logger>;
}

export interface ConnectAccountOptions {
  onConsentUrl: (url: string) => void;
  /** false: only print the URL (`--no-browser`). */
  openBrowser: boolean;
  /** One-line notices for the user, e.g. that tokens go to the opt-in file store. */
  onNotice?: (line: string) => void;
  signal?: AbortSignal;
  consentTimeoutMs?: number;
}

/** What `connect imap|caldav|ics` gives: the server settings, and the password (none for ICS). */
export type SecretConnect =
  | ({ provider: 'imap'; password: string } & ImapConnectOptions)
  | ({ provider: 'caldav'; password: string } & CaldavConnectOptions)
  | { provider: 'ics'; url: string; name?: string };

/** Connected accounts: the part of the service behind `accounts/list|connect|disconnect` and the Google sources. */
export class AccountService {
  private readonly deps: AccountServiceDeps;
  private secretsOpened: Promise<SecretStore> | undefined;
  private closing = new AbortController();
  private readonly notices: string[] = [];

  constructor(deps: AccountServiceDeps) {
    this.deps = deps;
  }

  /** The shared list, as stored: what every front end sees, whichever secret store it has. */
  list(): Account[] {
    const kv = this.deps.kv(false);
    return kv ? new AccountRegistry(kv).list().map((account) => publicAccount(account)) : [];
  }

  /**
   * The list as this front end can use it: an account whose secret is not in this front end's store is
   * `connected-elsewhere`, with what it takes to connect it here. Presence only: no secret is read out. A store
   * that cannot say (a locked keyring, an error) within `waitMs` leaves the account as stored: the list must not
   * wait on it, and a refresh says it anyway.
   */
  async listHere(options: { waitMs?: number; onNotice?: (line: string) => void } = {}): Promise<Account[]> {
    const kv = this.deps.kv(false);
    const stored = kv ? new AccountRegistry(kv).list() : [];
    if (stored.length === 0) return [];
    const waitMs = options.waitMs ?? PRESENCE_WAIT_MS;
    const here = await presentWithin(this.secrets(), stored.map(secretKey), waitMs, (error) => {
      // Said once, in words: the list itself cannot show that its statuses were not checked.
      const why = error instanceof AppError ? error : keyringTimeout(waitMs);
      const line = `${why.message.replace(/[.\s]+$/, '')}, so accounts are listed as saved`;
      options.onNotice?.(why.hint ? joinHint(line, why.hint) : line);
    });
    return stored.map((account, index) => publicAccount(account, here[index] !== false));
  }

  /** Google, through the browser; the account as `list` shows it once the grant is stored. */
  async connect(options: ConnectAccountOptions): Promise<Account> {
    const { connectGoogle } = await import('../connectors/google/connect.ts');
    const { openInBrowser } = await import('../connectors/google/open-browser.ts');
    const secrets = await this.secrets();
    await assertCanStore(secrets);
    for (const line of this.notices.splice(0)) options.onNotice?.(line);
    const deps = await this.googleDeps(secrets, options.signal);
    const { address } = await connectGoogle(deps, {
      onConsentUrl: options.onConsentUrl,
      ...(options.openBrowser ? { openBrowser: this.deps.openUrl ?? openInBrowser } : {}),
      ...(options.consentTimeoutMs ? { consentTimeoutMs: options.consentTimeoutMs } : {}),
    });
    const stored = deps.accounts.list('google').find((a) => a.address === address.toLowerCase());
    if (!stored) throw new Error(`the grant for ${address} was not recorded`);
    return publicAccount(stored);
  }

  /**
   * An IMAP, CalDAV or ICS account: checked against its server first, then saved with its password (or, for
   * ICS, its URL) in the secret store. Nothing is saved when the check fails.
   */
  async connectWithSecret(request: SecretConnect, onNotice?: (line: string) => void): Promise<Account> {
    const secrets = await this.secrets();
    await assertCanStore(secrets);
    for (const line of this.notices.splice(0)) onNotice?.(line);
    const kv = this.deps.kv(true);
    if (!kv) throw new Error('the store could not be opened');
    const deps = { accounts: new AccountRegistry(kv), secrets, clock: this.deps.clock() };
    switch (request.provider) {
      case 'imap': {
        const { connectImap } = await import('../connectors/imap/connect.ts');
        return connectImap(deps, request, request.password);
      }
      case 'caldav': {
        const { connectCaldav } = await import('../connectors/calendars/connect.ts');
        return connectCaldav(deps, request, request.password);
      }
      case 'ics': {
        const { connectIcs } = await import('../connectors/calendars/connect.ts');
        return connectIcs(deps, request);
      }
    }
  }

  /**
   * `handle` is "provider:name", or a name or address only one account has. A Google grant is revoked at Google
   * (`onNotice` hears when that failed; the tokens are deleted regardless); other accounts' secrets and synced
   * data are deleted here.
   */
  async disconnect(handle: string, onNotice?: (line: string) => void): Promise<Account[]> {
    const { findAccount, disconnectPasswordAccount } = await import('../connectors/accounts/disconnect.ts');
    const kv = this.deps.kv(false);
    const account = kv ? findAccount(new AccountRegistry(kv), handle) : undefined;
    if (!kv || !account) {
      const google = /^google:(.+)$/i.exec(handle.trim());
      const what = google ? `Google account ${(google[1] ?? '').toLowerCase()}` : `account "${handle}"`;
      throw new AppError('no_such_account', `no ${what} is connected`, {
        hint: 'Run `daily-brief accounts` to see the connected ones',
      });
    }
    if (account.provider !== 'google') {
      await disconnectPasswordAccount(
        { accounts: new AccountRegistry(kv), secrets: await this.secrets(), kv },
        account,
      );
      return this.listHere();
    }
    const { disconnectGoogle } = await import('../connectors/google/connect.ts');
    const log = await this.deps.log();
    await disconnectGoogle(await this.googleDeps(await this.secrets()), account.address, (line) => {
      log.warn({ event: 'revoke' }, line);
      onNotice?.(line);
    });
    return this.listHere();
  }

  /** What the Google connectors get: the registry, and the secret store opened only if an account is fetched. */
  connectorDeps(): GoogleConnectorDeps | undefined {
    const kv = this.deps.kv(false);
    if (!kv) return undefined;
    return { dataDir: this.deps.dataDir, accounts: new AccountRegistry(kv), secrets: () => this.secrets() };
  }

  private async googleDeps(secrets: SecretStore, signal?: AbortSignal) {
    const kv = this.deps.kv(true);
    if (!kv) throw new Error('the store could not be opened');
    return {
      settings: await this.deps.settings(),
      dataDir: this.deps.dataDir,
      secrets,
      accounts: new AccountRegistry(kv),
      clock: this.deps.clock(),
      ...(signal ? { signal } : {}),
    };
  }

  /**
   * Stops what still waits on the secret store (the keyring's helper process); the next call opens it again.
   * The runtime calls it when it stops, so a command ends as soon as it is done, whatever the keyring does.
   */
  close(): void {
    this.closing.abort();
    this.closing = new AbortController();
    this.secretsOpened = undefined;
  }

  private secrets(): Promise<SecretStore> {
    if (this.deps.secrets) return Promise.resolve(this.deps.secrets);
    if (this.secretsOpened) return this.secretsOpened;
    const opening = (async () => {
      const settings = await this.deps.settings();
      const log = await this.deps.log();
      return openSecretStore({
        dataDir: this.deps.dataDir,
        allowFileStore: settings.secrets.allowFileStore,
        warn: (line) => {
          this.notices.push(line);
          log.warn({ event: 'secrets' }, line);
        },
        signal: this.closing.signal,
      });
    })();
    this.secretsOpened = opening;
    // A keyring that did not answer (locked) may answer later: the next call (the next refresh) asks again.
    opening.catch(() => {
      if (this.secretsOpened === opening) this.secretsOpened = undefined;
    });
    return opening;
  }
}
