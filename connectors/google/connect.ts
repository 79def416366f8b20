import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod } from 'google-auth-library';
import type { Clock } from '../../core/clock.ts';
import { AppError, describeError } from '../../core/errors.ts';
import { publicAccount, tokenKey, type Account, type AccountRegistry } from '../../core/accounts.ts';
import type { SecretStore } from '../../core/secrets/types.ts';
import type { Settings } from '../../core/settings.ts';
import { callOptions, gmailApi } from './api.ts';
import { readClientSecret } from './client-secret.ts';
import { startLoopback } from './loopback.ts';
import { GOOGLE_SCOPES, oauthClient, parseTokens, serializeTokens } from './oauth.ts';

export interface GoogleAccountDeps {
  settings: Settings;
  dataDir: string;
  secrets: SecretStore;
  accounts: AccountRegistry;
  clock: Clock;
  signal?: AbortSignal;
}

export interface ConnectOptions {
  /** Receives the consent URL; the CLI prints it. */
  onConsentUrl: (url: string) => void;
  /** Opens the URL in the system browser; absent with --no-browser. */
  openBrowser?: (url: string) => void;
  /** How long to wait for the browser to come back. */
  consentTimeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const PROFILE_MAX_BYTES = 64 * 1024;

/**
 * OAuth 2.0 for installed apps: PKCE (S256) and a loopback redirect on 127.0.0.1. The consent page is Google's
 * (`google.authUrl`), the code is exchanged at `google.tokenUrl`, and the address comes from Gmail's profile.
 * Tokens go only to the secret store.
 */
export async function connectGoogle(deps: GoogleAccountDeps, options: ConnectOptions): Promise<{ address: string }> {
  const google = deps.settings.google;
  const secret = readClientSecret(google, deps.dataDir);
  const signal = deps.signal ?? new AbortController().signal;
  const state = randomBytes(16).toString('base64url');
  const loopback = await startLoopback({ state, signal, timeoutMs: options.consentTimeoutMs ?? 5 * 60_000 });
  try {
    const client = oauthClient(google, secret, { redirectUri: loopback.redirectUri, timeoutMs: REQUEST_TIMEOUT_MS });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: 'offline',
      // Without "consent" Google omits the refresh token when this client was granted access before.
      prompt: 'consent',
      scope: GOOGLE_SCOPES,
      state,
      code_challenge: codeChallenge ?? '',
      code_challenge_method: CodeChallengeMethod.S256,
    });
    options.onConsentUrl(url);
    options.openBrowser?.(url);
    const code = await loopback.code;
    const { tokens } = await client.getToken({ code, codeVerifier }).catch((error: unknown) => {
      throw new AppError('token_exchange', `Google refused the sign-in code (${describeError(error)})`, {
        hint: 'Run `daily-brief connect google` again',
        cause: error,
      });
    });
    if (!tokens.refresh_token) {
      throw new AppError('no_refresh_token', 'Google sent no refresh token, so the account could not stay connected', {
        hint: 'Remove Daily Brief at myaccount.google.com/permissions and connect again',
      });
    }
    const granted = new Set((tokens.scope ?? '').split(/\s+/));
    const missing = GOOGLE_SCOPES.filter((s) => !granted.has(s));
    if (tokens.scope && missing.length) {
      throw new AppError('scope_missing', `Google did not grant ${missing.map((s) => s.split('/').pop()).join(', ')}`, {
        hint: 'Connect again and tick both Gmail and Calendar on the consent page',
      });
    }
    client.setCredentials(tokens);
    const profile = await gmailApi(client, google).users.getProfile(
      { userId: 'me' },
      callOptions({ signal, timeoutMs: REQUEST_TIMEOUT_MS, maxBytes: PROFILE_MAX_BYTES }),
    );
    const address = profile.data.emailAddress?.toLowerCase();
    if (!address) throw new AppError('bad_response', 'Gmail did not say which account was connected');
    await deps.secrets.set(tokenKey('google', address), serializeTokens(tokens));
    deps.accounts.upsert({
      provider: 'google',
      address,
      status: 'connected',
      connectedAt: deps.clock.now().toISOString(),
    });
    return { address };
  } finally {
    await loopback.close();
  }
}

/** Revokes the grant at Google (best effort: it may already be gone), then deletes the tokens and the entry. */
export async function disconnectGoogle(
  deps: GoogleAccountDeps,
  address: string,
  onNotice?: (line: string) => void,
): Promise<Account[]> {
  const wanted = address.toLowerCase();
  const known = deps.accounts.list('google').some((a) => a.address === wanted);
  if (!known) {
    throw new AppError('no_such_account', `no Google account ${wanted} is connected`, {
      hint: 'Run `daily-brief accounts` to see the connected ones',
    });
  }
  const key = tokenKey('google', wanted);
  const raw = await deps.secrets.get(key);
  if (raw) {
    try {
      const client = oauthClient(deps.settings.google, readClientSecret(deps.settings.google, deps.dataDir), {
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      const token = parseTokens(raw).refresh_token;
      if (token) await client.revokeToken(token);
    } catch (error) {
      // Deleted here all the same, so nothing of it stays on disk. Google answers 400 for a token it no longer
      // knows (already revoked): nothing to say then; anything else means the grant may still be live.
      const status = (error as { response?: { status?: number } }).response?.status;
      if (status !== 400) {
        onNotice?.(
          `could not revoke ${wanted}'s access at Google (${describeError(error)}); its tokens are deleted here anyway. Revoke it at https://myaccount.google.com/permissions`,
        );
      }
    }
  }
  await deps.secrets.delete(key);
  deps.accounts.remove('google', wanted);
  return deps.accounts.list().map((account) => publicAccount(account));
}
