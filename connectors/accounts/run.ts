import {
  accountKey,
  tokenKey,
  type AccountProvider,
  type AccountRegistry,
  type StoredAccount,
} from '../../core/accounts.ts';
import { AppError } from '../../core/errors.ts';
import type { SecretStore } from '../../core/secrets/types.ts';
import type { ConnectorContext, ConnectorResult } from '../types.ts';
import { settleAccounts } from './settle.ts';

/** What the account connectors need beyond a connector context: the accounts and where their secrets are. */
export interface AccountDeps {
  accounts: AccountRegistry;
  secrets: () => Promise<SecretStore>;
}

/** Errors that no retry fixes: the account has to be connected again with a new password. */
const RECONNECT_CODES = new Set(['auth_failed']);

export function hasAccounts(deps: AccountDeps | undefined, provider: AccountProvider): boolean {
  return (deps?.accounts.list(provider).length ?? 0) > 0;
}

/**
 * Runs one source over every account of a provider, each with its secret. Each account fails alone: a refused
 * password marks it "needs-reconnect" (its items leave the brief, with a warning); other errors become warnings,
 * and only when every account failed does the source fail, so its last good items are served as stale.
 */
export async function forEachAccount(
  deps: AccountDeps,
  provider: AccountProvider,
  context: ConnectorContext,
  sourceLabel: string,
  run: (account: StoredAccount, secret: string) => Promise<ConnectorResult>,
): Promise<ConnectorResult> {
  const all = deps.accounts.list(provider);
  const reconnect = (a: StoredAccount, problem: string) =>
    `${accountKey(a)} needs reconnecting (${problem}): run \`daily-brief connect ${provider}\` for it again`;
  const warnings = all
    .filter((a) => a.status === 'needs-reconnect')
    .map((a) => reconnect(a, a.problem ?? 'its password was refused'));
  const live = all.filter((a) => a.status === 'connected');
  const secrets = await deps.secrets();
  return settleAccounts({
    accounts: live,
    keyOf: accountKey,
    sourceLabel,
    context,
    warnings,
    run: async (account) => {
      const secret = await secrets.get(tokenKey(provider, accountKey(account)));
      if (!secret) {
        throw new AppError('token_elsewhere', `${accountKey(account)} has no password stored here`, {
          hint: `Run \`daily-brief connect ${provider}\` for it here too`,
        });
      }
      return run(account, secret);
    },
    accountProblem: (error, account) => {
      if (!(error instanceof AppError) || !RECONNECT_CODES.has(error.code)) return undefined;
      deps.accounts.markNeedsReconnect(provider, accountKey(account), error.message);
      return reconnect(account, error.message);
    },
  });
}
