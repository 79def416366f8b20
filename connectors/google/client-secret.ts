import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { GoogleSettings } from '../../core/settings-google.ts';

/** The JSON Google Cloud gives for an OAuth client of type "Desktop app". */
const clientFileSchema = z.object({
  installed: z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) }),
});

export interface OAuthClientSecret {
  clientId: string;
  clientSecret: string;
}

export function clientSecretPath(settings: GoogleSettings, dataDir: string): string {
  const file = settings.clientSecretFile;
  return isAbsolute(file) ? file : join(dataDir, file);
}

/** The user's own OAuth client. A "Web application" client (key `web`) is refused: it has no loopback redirect. */
export function readClientSecret(settings: GoogleSettings, dataDir: string): OAuthClientSecret {
  const path = clientSecretPath(settings, dataDir);
  const setup = 'Create a "Desktop app" OAuth client in Google Cloud and save its JSON there (see the README)';
  if (!existsSync(path)) {
    throw new AppError('no_google_client', `there is no Google OAuth client file at ${path}`, { hint: setup });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('bad_google_client', `${path} is not valid JSON`, { hint: setup, cause: error });
  }
  const parsed = clientFileSchema.safeParse(raw);
  if (!parsed.success) {
    const web = typeof raw === 'object' && raw !== null && 'web' in raw;
    throw new AppError(
      'bad_google_client',
      web ? `${path} is a "Web application" client` : `${path} is not a Google OAuth client file`,
      { hint: setup, cause: parsed.error },
    );
  }
  return { clientId: parsed.data.installed.client_id, clientSecret: parsed.data.installed.client_secret };
}
