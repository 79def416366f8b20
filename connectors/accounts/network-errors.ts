import { AppError, describeError } from '../../core/errors.ts';

/** Node's codes for a certificate that could not be trusted, from the TLS layer. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The codes of an error and of its causes, outermost first (fetch wraps socket errors in `cause`). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown; _err?: unknown }).cause ?? (current as { _err?: unknown })._err;
  }
  return codes;
}

/**
 * A network failure in one line that says which kind it is and what to do, or undefined when it is not one of
 * the kinds people can act on (the caller words it then).
 */
export function networkProblem(error: unknown, where: string, what: string): AppError | undefined {
  const codes = errorCodes(error);
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME')) {
    return new AppError('unknown_host', `${where} could not be found`, {
      hint: `Check the ${what} name for typing errors`,
      cause: error,
    });
  }
  const certificate = codes.find((c) => CERTIFICATE_CODES.has(c));
  if (certificate) {
    return new AppError('certificate', `the certificate of ${where} is not trusted (${certificate})`, {
      hint: 'Check the host name; a self-signed server needs its certificate trusted by the system first',
      cause: error,
    });
  }
  if (has('ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'EPROTO')) {
    return new AppError('tls_mismatch', `${where} did not answer in TLS`, {
      hint: 'Check the port and the security setting (tls on 993, starttls on 143)',
      cause: error,
    });
  }
  if (has('ECONNREFUSED')) {
    return new AppError('refused', `nothing answers at ${where}`, {
      hint: `Check the ${what} port, and that the server is running`,
      cause: error,
    });
  }
  if (has('ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'TimeoutError')) {
    return new AppError('timeout', `${where} did not answer in time`, {
      hint: 'Check the network connection and try again',
      cause: error,
    });
  }
  if (
    has('ECONNRESET', 'EPIPE', 'NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS')
  ) {
    return new AppError('connection_lost', `${where} closed the connection (${describeError(error)})`, {
      hint: 'Try again later',
      cause: error,
    });
  }
  return undefined;
}
