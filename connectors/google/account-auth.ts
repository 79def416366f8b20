import type { Credentials, OAuth2Client } from 'google-auth-library';
import { AppError, describeError } from '../../core/errors.ts';
import { tokenKey, type AccountRegistry, type StoredAccount } from '../../core/accounts.ts';
import type { SecretStore } from '../../core/secrets/types.ts';
import type { Settings } from '../../core/settings.ts';
import type { ConnectorContext, ConnectorResult } from '../types.ts';
import { settleAccounts } from '../accounts/settle.ts';
import { readClientSecret } from './client-secret.ts';
import { grantProblem, isRevokedGrant, oauthClient, parseTokens, serializeTokens } from './oauth.ts';

/** What the Google connectors need beyond a connector context: the accounts and where their tokens are. */
export interface GoogleConnectorDeps {
  dataDir: string;
  accounts: AccountRegistry;
  secrets: () => Promise<SecretStore>;
}

export function hasGoogleAccounts(deps: GoogleConnectorDeps | undefined, settings: Settings): boolean {
  return settings.google.clientSecretFile !== '' && (deps?.accounts.list('google').length ?? 0) > 0;
}

/** An authorized client for one account. Refreshed access tokens are written back to the secret store. */
export async function accountClient(
  deps: GoogleConnectorDeps,
  settings: Settings,
  address: string,
  timeoutMs: number,
): Promise<{ client: OAuth2Client; saved: () => Promise<void> }> {
  const secrets = await deps.secrets();
  const key = tokenKey('google', address);
  const raw = await secrets.get(key);
  if (!raw) throw new MissingTokenError(address);
  const stored = parseTokens(raw);
  const client = oauthClient(settings.google, readClientSecret(settings.google, deps.dataDir), { timeoutMs });
  client.setCredentials(stored);
  let pending = Promise.resolve();
  client.on('tokens', (fresh: Credentials) => {
    // A refresh answer carries no refresh token; keep the one we have.
    const merged = { ...stored, ...fresh, refresh_token: fresh.refresh_token ?? stored.refresh_token };
    pending = pending.then(() => secrets.set(key, serializeTokens(merged))).catch(() => undefined);
  });
  try {
    // Refresh now if needed, so a dead grant is found before any API call and reported once.
    await client.getAccessToken();
  } catch (error) {
    if (isRevokedGrant(error)) throw new RevokedError(grantProblem(error), error);
    throw new AppError('token_refresh', `could not refresh the token of ${address} (${describeError(error)})`, {
      cause: error,
    });
  }
  return { client, saved: () => pending };
}

/**
 * This process's secret store has no token for the account, though the shared account list has it: it was
 * connected from the other front end (the desktop app keeps tokens with safeStorage, the CLI in the keyring).
 * The grant itself is fine, so the account is not marked for reconnecting, which would break it there too.
 */
export class MissingTokenError extends AppError {
  constructor(address: string) {
    super('token_elsewhere', `${address} has no token here (it was connected from the desktop app or the CLI)`, {
      hint: 'Run `daily-brief connect google` here too to use it from both',
    });
  }
}

/** The grant is gone: the account needs reconnecting, and no retry will help. */
export class RevokedError extends AppError {
  constructor(problem: string, cause?: unknown) {
    super('needs_reconnect', problem, { hint: 'Run `daily-brief connect google` for it again', cause });
  }
}

/**
 * Runs one source over every connected Google account. Each account fails alone: a dead grant marks it
 * "needs-reconnect" (its items leave the brief, with a warning); other errors become warnings, and only when every
 * account failed for another reason does the source fail (so its last good items are served as stale).
 */
export async function forEachAccount(
  deps: GoogleConnectorDeps,
  context: ConnectorContext,
  sourceLabel: string,
  run: (account: StoredAccount, client: OAuth2Client) => Promise<ConnectorResult>,
): Promise<ConnectorResult> {
  const all = deps.accounts.list('google');
  const warnings: string[] = [];
  for (const a of all.filter((x) => x.status === 'needs-reconnect')) {
    warnings.push(
      `${a.address} needs reconnecting (${a.problem ?? 'its grant was revoked'}): run \`daily-brief connect google\``,
    );
  }
  return settleAccounts({
    accounts: all.filter((a) => a.status === 'connected'),
    keyOf: (account) => account.address,
    sourceLabel,
    context,
    warnings,
    run: async (account) => {
      const { client, saved } = await accountClient(deps, context.settings, account.address, context.requestTimeoutMs);
      try {
        return await run(account, client);
      } finally {
        await saved();
      }
    },
    accountProblem: (error, account) => {
      if (error instanceof MissingTokenError) return error.oneLine();
      if (!(error instanceof RevokedError) && !isRevokedGrant(error)) return undefined;
      const problem = error instanceof RevokedError ? error.message : grantProblem(error);
      deps.accounts.markNeedsReconnect('google', account.address, problem);
      return `${account.address} needs reconnecting (${problem}): run \`daily-brief connect google\``;
    },
  });
}
