import { accountKey, type StoredAccount } from '../../core/accounts.ts';
import { AppError } from '../../core/errors.ts';
import { forEachAccount, hasAccounts, type AccountDeps } from '../accounts/run.ts';
import type { Connector, ConnectorContext, ConnectorResult } from '../types.ts';
import { imapProblem, openMailbox } from './session.ts';
import { readState, syncMailbox } from './sync.ts';

/** Mail over IMAP, one mailbox per account, read-only. */
export function imapConnector(deps?: AccountDeps): Connector {
  return {
    id: 'imap',
    label: 'Mail (IMAP)',
    kinds: ['email'],
    enabled: (settings) => settings.sources.imap.enabled && hasAccounts(deps, 'imap'),
    fetch: (context) =>
      deps
        ? forEachAccount(deps, 'imap', context, 'IMAP', (account, password) => syncAccount(account, password, context))
        : Promise.resolve({ items: [], warnings: [] }),
  };
}

async function syncAccount(
  account: StoredAccount,
  password: string,
  context: ConnectorContext,
): Promise<ConnectorResult> {
  const config = account.imap;
  if (!config) throw new AppError('bad_account', `${accountKey(account)} has no IMAP server settings`);
  const maxBytes = context.settings.refresh.maxResponseBytes;
  const session = await openMailbox(config, password, {
    signal: context.signal,
    timeoutMs: context.requestTimeoutMs,
    maxBytes,
  });
  const key = `imap:${accountKey(account)}`;
  try {
    const outcome = await syncMailbox(
      {
        session,
        account: { key: accountKey(account), address: account.address },
        path: config.mailbox,
        context,
        maxSourceBytes: maxBytes,
      },
      readState(context.cache.getValue(key)),
    );
    context.cache.putValue(key, outcome.state);
    return { items: outcome.state.messages, warnings: outcome.warnings };
  } catch (error) {
    // A drop mid-fetch, a timeout, a server that closes: the source fails with it, the last good mail stays.
    throw imapProblem(error, config, context.signal);
  } finally {
    await session.end();
  }
}
