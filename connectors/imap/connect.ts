import type { Account, ImapSecurity } from '../../core/accounts.ts';
import { AppError } from '../../core/errors.ts';
import { CHECK_TIMEOUT_MS, chooseName, saveAccount, type ConnectDeps } from '../accounts/save.ts';
import { openMailbox, refusePlainText } from './session.ts';

export interface ImapConnectOptions {
  host: string;
  port?: number;
  security?: ImapSecurity;
  user: string;
  mailbox?: string;
  name?: string;
}

const DEFAULT_PORTS: Record<ImapSecurity, number> = { tls: 993, starttls: 143, none: 143 };

/** Logs in and opens the mailbox read-only; only when both work are the account and its password saved. */
export async function connectImap(deps: ConnectDeps, options: ImapConnectOptions, password: string): Promise<Account> {
  const security = options.security ?? 'tls';
  const config = {
    host: options.host.trim(),
    port: options.port ?? DEFAULT_PORTS[security],
    security,
    user: options.user.trim(),
    mailbox: options.mailbox?.trim() || 'INBOX',
  };
  if (!config.host || !config.user) {
    throw new AppError('bad_account', 'an IMAP account needs --host and --user', {
      hint: 'e.g. daily-brief connect imap --host imap.fastmail.com --user you@fastmail.com',
    });
  }
  if (!password)
    throw new AppError('no_password', 'no password was given', { hint: 'Type it at the prompt, or pipe it in' });
  refusePlainText(config);
  const session = await openMailbox(config, password, {
    signal: deps.signal ?? new AbortController().signal,
    timeoutMs: CHECK_TIMEOUT_MS,
    maxBytes: 64 * 1024,
  });
  await session.end();
  return saveAccount(
    deps,
    { provider: 'imap', address: config.user, name: chooseName(options.name, config.user), imap: config },
    password,
  );
}
