import { ImapFlow } from 'imapflow';
import type { ImapAccountConfig } from '../../core/accounts.ts';
import { AppError, describeError } from '../../core/errors.ts';
import { isLoopbackHost } from '../accounts/loopback.ts';
import { networkProblem } from '../accounts/network-errors.ts';

export interface SessionLimits {
  signal: AbortSignal;
  /** Connecting, the greeting and any silence from the server. */
  timeoutMs: number;
  /** The largest literal (one message's source) the server may send. */
  maxBytes: number;
}

/** An open, authenticated connection with the mailbox opened read-only (EXAMINE). Close it with `end()`. */
export interface ImapSession {
  client: ImapFlow;
  mailbox: { uidValidity: string; uidNext: number; exists: number; highestModseq?: string };
  end(): Promise<void>;
}

/**
 * Opens the account's mailbox read-only. EXAMINE, not SELECT, so the server itself refuses any change to flags,
 * whatever the code above does; fetches use BODY.PEEK (imapflow's default), which never sets \Seen either.
 */
export async function openMailbox(
  config: ImapAccountConfig,
  password: string,
  limits: SessionLimits,
): Promise<ImapSession> {
  refusePlainText(config);
  const client = new ImapFlow({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    doSTARTTLS: config.security === 'starttls' ? true : config.security === 'none' ? false : undefined,
    auth: { user: config.user, pass: password },
    // imapflow logs to stdout by default, including message contents; nothing of it may reach a log.
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: limits.timeoutMs,
    greetingTimeout: limits.timeoutMs,
    socketTimeout: limits.timeoutMs,
    maxLiteralSize: limits.maxBytes + 64 * 1024,
    maxResponseSize: 4 * (limits.maxBytes + 64 * 1024),
    clientInfo: { name: 'Daily Brief' },
  });
  // A dropped connection is also reported through the pending command; without a listener it would crash.
  client.on('error', () => undefined);
  const abort = (): void => {
    client.close();
  };
  limits.signal.addEventListener('abort', abort, { once: true });
  const end = async (): Promise<void> => {
    limits.signal.removeEventListener('abort', abort);
    if (client.usable) await client.logout().catch(() => undefined);
    client.close();
  };
  try {
    if (limits.signal.aborted) throw limits.signal.reason;
    await client.connect();
    const opened = await client.mailboxOpen(config.mailbox, { readOnly: true });
    const mailbox: ImapSession['mailbox'] = {
      uidValidity: String(opened.uidValidity),
      uidNext: opened.uidNext,
      exists: opened.exists,
    };
    if (opened.highestModseq !== undefined && !opened.noModseq) mailbox.highestModseq = String(opened.highestModseq);
    return { client, mailbox, end };
  } catch (error) {
    await end();
    throw imapProblem(error, config, limits.signal);
  }
}

export function refusePlainText(config: Pick<ImapAccountConfig, 'host' | 'security'>): void {
  if (config.security === 'none' && !isLoopbackHost(config.host)) {
    throw new AppError('plaintext_refused', `--security none would send the password to ${config.host} unencrypted`, {
      hint: 'Use --security tls (port 993) or starttls (port 143); none is only for a bridge on this machine',
    });
  }
}

/** Any failure of an IMAP session, as one line saying which kind. */
export function imapProblem(error: unknown, config: ImapAccountConfig, signal?: AbortSignal): AppError {
  if (error instanceof AppError) return error;
  const where = `${config.host}:${String(config.port)}`;
  if (signal?.aborted) return new AppError('aborted', `IMAP fetch from ${config.host} was cancelled`, { cause: error });
  const e = error as { authenticationFailed?: boolean; mailboxMissing?: boolean; serverResponseCode?: string };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return new AppError('auth_failed', `${config.host} refused the user name or password for ${config.user}`, {
      hint: 'Check both; most providers want an app password here, not your usual one',
      cause: error,
    });
  }
  if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT') {
    return new AppError('no_mailbox', `${config.host} has no mailbox "${config.mailbox}"`, {
      hint: 'Give an existing one with --mailbox (INBOX is the usual)',
      cause: error,
    });
  }
  const network = networkProblem(error, where, 'IMAP server');
  if (network) return network;
  return new AppError('imap', `IMAP at ${where} failed (${describeError(error)})`, { cause: error });
}
