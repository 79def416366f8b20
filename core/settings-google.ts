import { z } from 'zod';

/**
 * Settings for the Google sources and for where their tokens live. Kept apart from settings.ts so that
 * file only gains four lines. The three URLs default to Google's own endpoints; they exist so tests can point
 * the real client code at a local server.
 */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_API_ROOT = 'https://www.googleapis.com/';
/** Relative to the data folder unless absolute. */
export const DEFAULT_CLIENT_SECRET_FILE = 'google-client.json';

export const googleSchema = z.strictObject({
  /** The "Desktop app" OAuth client JSON downloaded from Google Cloud. */
  clientSecretFile: z.string().min(1).default(DEFAULT_CLIENT_SECRET_FILE),
  authUrl: httpUrl.default(GOOGLE_AUTH_URL),
  tokenUrl: httpUrl.default(GOOGLE_TOKEN_URL),
  apiRootUrl: httpUrl.default(GOOGLE_API_ROOT),
});

export const gmailSourceSchema = z.strictObject({
  enabled: z.boolean().default(true),
  lookbackDays: z.int().min(1).max(60).default(3),
  maxMessages: z.int().min(1).max(500).default(50),
  /** Message fetches in flight at once, per account. */
  concurrency: z.int().min(1).max(16).default(6),
});

export const calendarSourceSchema = z.strictObject({
  enabled: z.boolean().default(true),
  calendars: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).default(() => ['primary']),
});

export const secretsSchema = z.strictObject({
  /** Without an OS keyring the CLI refuses to store tokens unless this is true (a 0600 file, encrypted). */
  allowFileStore: z.boolean().default(false),
});

export type GoogleSettings = z.infer<typeof googleSchema>;
