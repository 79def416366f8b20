import { AppError, describeError } from '../../core/errors.ts';
import type { Item } from '../../core/types.ts';
import type { ConnectorContext, ConnectorResult } from '../types.ts';

export interface SettleOptions<A> {
  accounts: A[];
  /** How an account is named in a warning. */
  keyOf: (account: A) => string;
  sourceLabel: string;
  context: ConnectorContext;
  /** Warnings said before any account ran (accounts already waiting to be reconnected). */
  warnings: string[];
  run: (account: A) => Promise<ConnectorResult>;
  /**
   * The warning for an error that is the account's own (a refused password, a revoked grant, a token kept by the
   * other app), which never fails the source; undefined for any other error.
   */
  accountProblem: (error: unknown, account: A) => string | undefined;
}

/**
 * Every account in parallel, each failing alone: its own problems and other errors become warnings, and only when
 * every account failed for another reason does the source fail, so its last good items are served as stale.
 */
export async function settleAccounts<A>(options: SettleOptions<A>): Promise<ConnectorResult> {
  const { accounts, keyOf, sourceLabel, context, warnings } = options;
  const settled = await Promise.allSettled(accounts.map((account) => options.run(account)));
  if (context.signal.aborted) {
    throw new AppError('aborted', `${sourceLabel} fetch was cancelled`, { cause: context.signal.reason });
  }
  const items: Item[] = [];
  const failures: unknown[] = [];
  settled.forEach((outcome, index) => {
    const account = accounts[index];
    if (account === undefined) return;
    if (outcome.status === 'fulfilled') {
      items.push(...outcome.value.items);
      warnings.push(...outcome.value.warnings.map((w) => `${keyOf(account)}: ${w}`));
      return;
    }
    const error: unknown = outcome.reason;
    const problem = options.accountProblem(error, account);
    if (problem !== undefined) {
      warnings.push(problem);
      return;
    }
    failures.push(error);
    warnings.push(`${keyOf(account)}: ${describeError(error)}`);
  });
  if (failures.length > 0 && failures.length === accounts.length) {
    throw new AppError('source_failed', `${sourceLabel}: ${warnings.join('; ')}`, { cause: failures[0] });
  }
  return { items, warnings };
}
