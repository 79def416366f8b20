import type { Clock } from '../core/clock.ts';
import { AccountRegistry, publicAccount, type Account, type KeyValue } from '../core/accounts.ts';
import type { Logger } from '../core/log.ts';
import { assertCanStore, openSecretStore } from '../core/secrets/open.ts';
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

/** Connected accounts: the part of the service behind `accounts/list|connect|disconnect` and the Google sources. */
export class AccountService {
  private readonly deps: AccountServiceDeps;
  private secretsOpened: Promise<SecretStore> | undefined;
  private readonly notices: string[] = [];

  constructor(deps: AccountServiceDeps) {
    this.deps = deps;
  }

  list(): Account[] {
    const kv = this.deps.kv(false);
    return kv ? new AccountRegistry(kv).list().map(publicAccount) : [];
  }

  async connect(options: ConnectAccountOptions): Promise<{ address: string }> {
    const { connectGoogle } = await import('../connectors/google/connect.ts');
    const { openInBrowser } = await import('../connectors/google/open-browser.ts');
    const secrets = await this.secrets();
    await assertCanStore(secrets);
    for (const line of this.notices.splice(0)) options.onNotice?.(line);
    return connectGoogle(await this.googleDeps(secrets, options.signal), {
      onConsentUrl: options.onConsentUrl,
      ...(options.openBrowser ? { openBrowser: this.deps.openUrl ?? openInBrowser } : {}),
      ...(options.consentTimeoutMs ? { consentTimeoutMs: options.consentTimeoutMs } : {}),
    });
  }

  /** `onNotice` hears when the grant could not be revoked at Google (the tokens are deleted regardless). */
  async disconnect(address: string, onNotice?: (line: string) => void): Promise<Account[]> {
    const { disconnectGoogle } = await import('../connectors/google/connect.ts');
    const log = await this.deps.log();
    return disconnectGoogle(await this.googleDeps(await this.secrets()), address, (line) => {
      log.warn({ event: 'revoke' }, line);
      onNotice?.(line);
    });
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

  private secrets(): Promise<SecretStore> {
    if (this.deps.secrets) return Promise.resolve(this.deps.secrets);
    this.secretsOpened ??= (async () => {
      const settings = await this.deps.settings();
      const log = await this.deps.log();
      return openSecretStore({
        dataDir: this.deps.dataDir,
        allowFileStore: settings.secrets.allowFileStore,
        warn: (line) => {
          this.notices.push(line);
          log.warn({ event: 'secrets' }, line);
        },
      });
    })();
    return this.secretsOpened;
  }
}
