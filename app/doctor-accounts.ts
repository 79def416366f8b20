import { existsSync } from 'node:fs';
import { clientSecretPath } from '../connectors/google/client-secret.ts';
import { AccountRegistry } from '../core/accounts.ts';
import type { DoctorCheck } from './doctor.ts';
import type { Settings } from '../core/settings.ts';
import { keyringUnavailable } from '../core/secrets/keyring-store.ts';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../core/store/database.ts';

/**
 * Google accounts and where their tokens would live. Both are optional: with nothing connected they are
 * reported, never failed, since the brief works without mail and calendar.
 */
export async function checkAccounts(
  dataDir: string,
  settings: Settings,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck[]> {
  const google = checkGoogle(dataDir, settings);
  // Where tokens go matters only to someone connecting an account.
  const wanted = google.status !== 'skip' || existsSync(clientSecretPath(settings.google, dataDir));
  const secrets = await checkSecrets(settings, env);
  return [
    google,
    wanted || secrets.status === 'ok'
      ? secrets
      : { ...secrets, status: 'skip', detail: `${secrets.detail}; only needed to connect a Google account` },
  ];
}

function checkGoogle(dataDir: string, settings: Settings): DoctorCheck {
  const base = { id: 'google', title: 'Google accounts' };
  const accounts = readAccounts(dataDir).filter((a) => a.provider === 'google');
  const broken = accounts.filter((a) => a.status === 'needs-reconnect');
  if (broken.length) {
    return {
      ...base,
      status: 'warn',
      detail: `${broken.map((a) => a.address).join(', ')} need${broken.length === 1 ? 's' : ''} reconnecting (access was revoked or expired); the brief comes out without ${broken.length === 1 ? 'it' : 'them'}`,
      fix: `Run \`daily-brief connect google\` and sign in as ${broken[0]?.address ?? 'that account'} again`,
    };
  }
  if (accounts.length) {
    return { ...base, status: 'ok', detail: `Connected: ${accounts.map((a) => a.address).join(', ')}` };
  }
  const secretFile = clientSecretPath(settings.google, dataDir);
  return {
    ...base,
    status: 'skip',
    detail: existsSync(secretFile)
      ? 'None connected; the OAuth client is in place'
      : `None connected (optional); no OAuth client at ${secretFile}`,
    fix: 'To add Gmail and Calendar: follow docs/google.md, then `daily-brief connect google`',
  };
}

async function checkSecrets(settings: Settings, env: NodeJS.ProcessEnv): Promise<DoctorCheck> {
  const base = { id: 'secrets', title: 'Token storage' };
  const reason = env.DAILY_BRIEF_NO_KEYRING === '1' ? 'DAILY_BRIEF_NO_KEYRING is set' : await keyringUnavailable();
  if (!reason) return { ...base, status: 'ok', detail: 'The OS keyring is available' };
  if (settings.secrets.allowFileStore) {
    return {
      ...base,
      status: 'warn',
      detail: `No OS keyring (${reason}); tokens go to the encrypted file store you opted into (mode 0600)`,
      fix: 'Install and unlock a Secret Service keyring (gnome-keyring, KeePassXC) to keep tokens in the OS keyring',
    };
  }
  return {
    ...base,
    status: 'warn',
    detail: `No OS keyring (${reason}), so Google accounts cannot be connected`,
    fix: 'Install and unlock a Secret Service keyring, or set secrets.allowFileStore to true in settings',
  };
}

/** Read-only and forgiving: a missing or damaged database is the database check's to report, not this one's. */
function readAccounts(dataDir: string): ReturnType<AccountRegistry['list']> {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const read = db.prepare<[string], { value_json: string }>('SELECT value_json FROM kv WHERE key = ?');
    const kv = {
      getValue: (key: string): unknown => {
        const row = read.get(key);
        return row ? (JSON.parse(row.value_json) as unknown) : undefined;
      },
      putValue: (): void => {
        throw new Error('doctor never writes');
      },
    };
    return new AccountRegistry(kv).list();
  } catch {
    return [];
  } finally {
    db?.close();
  }
}
