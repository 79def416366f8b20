import { OAuth2Client, type Credentials } from 'google-auth-library';
import { z } from 'zod';
import { AppError, describeError } from '../../core/errors.ts';
import type { GoogleSettings } from '../../core/settings-google.ts';
import type { OAuthClientSecret } from './client-secret.ts';

/** Read-only, and nothing else: the app never sends mail or changes the calendar. */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/gmail.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];

/** Google's revoke endpoint sits next to its token endpoint (oauth2.googleapis.com/revoke); so does the fake's. */
export function revokeUrl(tokenUrl: string): string {
  return new URL('revoke', tokenUrl).href;
}

export function oauthClient(
  settings: GoogleSettings,
  secret: OAuthClientSecret,
  options: { redirectUri?: string; timeoutMs: number },
): OAuth2Client {
  return new OAuth2Client({
    clientId: secret.clientId,
    clientSecret: secret.clientSecret,
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
    endpoints: {
      oauth2AuthBaseUrl: settings.authUrl,
      oauth2TokenUrl: settings.tokenUrl,
      oauth2RevokeUrl: revokeUrl(settings.tokenUrl),
    },
    // A 401 means the access token was revoked or expired early: refresh once and retry, which also finds a dead grant.
    forceRefreshOnFailure: true,
    // Token requests get the same time limit as API calls; the library has none by default.
    transporterOptions: { timeout: options.timeoutMs, retry: false },
  });
}

/** What is kept in the secret store for one account. */
const storedTokensSchema = z.object({
  refresh_token: z.string().min(1),
  access_token: z.string().nullish(),
  expiry_date: z.number().nullish(),
  scope: z.string().optional(),
  token_type: z.string().nullish(),
});

export function serializeTokens(tokens: Credentials): string {
  const { refresh_token, access_token, expiry_date, scope, token_type } = tokens;
  return JSON.stringify({ refresh_token, access_token, expiry_date, scope, token_type });
}

export function parseTokens(raw: string): Credentials {
  const parsed = storedTokensSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new AppError('bad_tokens', 'the stored Google token is unreadable');
  return parsed.data;
}

/**
 * The token endpoint said the grant is gone: `invalid_grant` (revoked, expired, password changed) or
 * `unauthorized_client`. Only these mean "reconnect"; network trouble and 5xx are ordinary failures.
 */
export function isRevokedGrant(error: unknown): boolean {
  const data: unknown = (error as { response?: { data?: unknown } } | undefined)?.response?.data;
  const code = typeof data === 'object' && data !== null && 'error' in data ? data.error : '';
  if (code === 'invalid_grant' || code === 'unauthorized_client') return true;
  return error instanceof Error && /\binvalid_grant\b/.test(error.message);
}

export function grantProblem(error: unknown): string {
  return isRevokedGrant(error)
    ? 'Google no longer accepts its token (invalid_grant)'
    : `its token could not be refreshed (${describeError(error)})`;
}
