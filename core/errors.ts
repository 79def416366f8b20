/**
 * Every error code the app can report, closed: a transport, a test or the UI can rely on the list. A new
 * failure gets a new code here. `unexpected` is what any thrown value that is not an AppError becomes.
 */
export const ERROR_CODES = [
  'aborted',
  'ambiguous_account',
  'auth_failed',
  'bad_account',
  'bad_google_client',
  'bad_json',
  'bad_request',
  'bad_response',
  'bad_tokens',
  'bad_url',
  'caldav',
  'cancelled',
  'cannot_mute',
  'certificate',
  'chroma_busy',
  'chroma_glibc',
  'chroma_missing',
  'chroma_request',
  'chroma_space',
  'chroma_start',
  'chroma_stopped',
  'chroma_timeout',
  'chroma_unreachable',
  'chroma_url',
  'connection_lost',
  'consent_refused',
  'consent_timeout',
  'core_down',
  'core_exited',
  'core_failed',
  'data_readonly',
  'db_damaged',
  'db_newer',
  'db_open',
  'embed_bad_reply',
  'embed_failed',
  'disk_full',
  'feed_empty',
  'feed_html',
  'feed_invalid',
  'feed_not_xml',
  'feed_unrecognised',
  'forbidden',
  'http_status',
  'imap',
  'invalid_args',
  'invalid_port',
  'invalid_settings',
  'keyring',
  'llm_bad_server',
  'llm_empty',
  'llm_refused',
  'llm_timeout',
  'llm_unreachable',
  'memory_closed',
  'memory_dimensions',
  'memory_off',
  'memory_record',
  'method',
  'missing_option',
  'mode_fixed',
  'model_missing',
  'needs_reconnect',
  'network',
  'no_brief',
  'no_calendar',
  'no_google_client',
  'no_keyring',
  'no_mailbox',
  'no_password',
  'no_question',
  'no_refresh_token',
  'no_such_account',
  'not_calendar',
  'not_found',
  'not_muted',
  'not_votable',
  'nothing_to_undo',
  'offline',
  'place_not_found',
  'plaintext_refused',
  'refresh_failed',
  'refused',
  'renderer_missing',
  'sample_day',
  'scope_missing',
  'secret_file',
  'secret_key',
  'secret_key_mode',
  'secret_unreadable',
  'secrets_timeout',
  'serve_failed',
  'source_failed',
  'source_timeout',
  'sqlite_vec_load',
  'timeout',
  'tls_mismatch',
  'token_elsewhere',
  'token_exchange',
  'token_refresh',
  'too_large',
  'unauthorized',
  'unexpected',
  'unknown_call',
  'unknown_host',
  'unknown_item',
  'unknown_provider',
  'unreadable_settings',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error shape a user can see: what failed, what to do, and (for --verbose) why.
 * Transports turn it into `{ ok: false, error }`.
 */
export class AppError extends Error {
  readonly hint: string | undefined;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }

  /** One line: the problem, then the fix. */
  oneLine(): string {
    return this.hint ? joinHint(this.message, this.hint) : this.message;
  }
}

/** "what failed. What to do", with one full stop however the message ends. */
export function joinHint(message: string, hint: string): string {
  return `${message.replace(/[.\s]+$/, '')}. ${hint}`;
}

/** A short, single-line description of any thrown value, for status fields and logs. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.oneLine();
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return firstLine(`${error.message}${cause}`);
  }
  return firstLine(String(error));
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
