import { AppError, type ErrorCode } from '../../../contract/envelope.ts';

/**
 * The app's hints are written for the command line (flags, commands); in the form, these say the same thing
 * in the form's words.
 */
const FORM_HINTS: Partial<Record<ErrorCode, string>> = {
  auth_failed: 'check both, and use an app password where the provider makes one',
  plaintext_refused: 'choose TLS or STARTTLS; no encryption is only for a bridge on this computer',
  no_mailbox: 'check the mailbox name (INBOX is the usual one)',
  tls_mismatch: 'check the port and the security (TLS on 993, STARTTLS on 143)',
  refused: 'check the port, and that the server is running',
  unknown_host: 'check the server name for typing errors',
  ambiguous_account: 'remove it from the list above instead',
  token_elsewhere: 'add it again here',
};

/** Any failure as the one sentence the accounts panel shows: what failed, then what to do. */
export function accountErrorSentence(failure: unknown): string {
  if (!(failure instanceof AppError)) {
    return sentence(failure instanceof Error ? failure.message : String(failure));
  }
  // "accounts/connect: password: give the password" names a call and a field: only the words are for people.
  const message = failure.code === 'invalid_args' ? (failure.message.split(': ').pop() ?? '') : failure.message;
  const hint = FORM_HINTS[failure.code] ?? (failure.hint && !/`|--/.test(failure.hint) ? failure.hint : undefined);
  return sentence(hint ? `${message}; ${lowerFirst(hint)}` : message);
}

function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, '');
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}
