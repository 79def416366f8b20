import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { GoogleConnectorDeps } from '../connectors/google/account-auth.ts';
import { clientSecretPath } from '../connectors/google/client-secret.ts';
import type { Account } from '../contract/results.ts';
import {
  AccountRegistry,
  publicAccount,
  secretKey,
  type AccountProvider,
  type StoredAccount,
} from '../core/accounts.ts';
import { AppError, describeError } from '../core/errors.ts';
import type { Keyring } from '../core/secrets/keyring-process.ts';
import { secretStoreFor } from '../core/secrets/open.ts';
import { presentWithin, PRESENCE_WAIT_MS } from '../core/secrets/presence.ts';
import { settleWithin } from '../core/settle.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import type { Settings } from '../core/settings.ts';
import { DATABASE_FILE } from '../core/store/database.ts';
import { connectCommand } from './connect-command.ts';
import type { DoctorCheck } from './doctor.ts';

export interface AccountCheckOptions {
  /** The front end's own secret store (the desktop app's); without one, the store the CLI would open. */
  secrets?: SecretStore;
  /** How long the keyring and the store may take to answer, together. */
  waitMs?: number;
}

/** Why there is no OS keyring, `{}` when there is one; undefined when it did not answer in time (locked?). */
type KeyringAnswer = { reason?: string } | undefined;

const KIND: Record<AccountProvider, string> = {
  google: 'Google',
  imap: 'mail',
  caldav: 'calendar',
  ics: 'calendar link',
};

/**
 * Every connected account, whether this computer has its token or password, and where tokens would live. All
 * optional: with nothing connected they are reported, never failed, since the brief works without mail and
 * calendar. Read-only, and presence only: no secret is read out, so none can be printed.
 */
export async function checkAccounts(
  dataDir: string,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  options: AccountCheckOptions = {},
): Promise<DoctorCheck[]> {
  const waitMs = options.waitMs ?? PRESENCE_WAIT_MS;
  const stored = readAccounts(dataDir);
  const keyring = env.DAILY_BRIEF_NO_KEYRING === '1' ? undefined : await openKeyringWithin(waitMs);
  try {
    // One probe serves both checks. A locked keyring may never answer, so neither waits on it for longer than waitMs.
    const probe: Promise<KeyringAnswer> = keyring
      ? keyring.unavailable().then(
          (reason) => (reason === undefined ? {} : { reason }),
          (error: unknown) =>
            error instanceof AppError && error.code === 'secrets_timeout'
              ? undefined
              : { reason: describeError(error) },
        )
      : Promise.resolve({ reason: 'DAILY_BRIEF_NO_KEYRING is set' });
    const opening =
      options.secrets !== undefined
        ? Promise.resolve(options.secrets)
        : probe.then((answer) => {
            if (!answer) throw new Error('the OS keyring did not answer');
            if (answer.reason === undefined && keyring) return keyring.store;
            const reason = answer.reason ?? 'DAILY_BRIEF_NO_KEYRING is set';
            return secretStoreFor(reason, { dataDir, allowFileStore: settings.secrets.allowFileStore, env });
          });
    const [present, answer] = await Promise.all([
      presentWithin(opening, stored.map(secretKey), waitMs),
      settleWithin(probe, waitMs),
    ]);
    // Nothing can be kept here when there is no keyring and no file store opted into; the desktop app has its own.
    const storeHere = options.secrets !== undefined || !answer?.reason || settings.secrets.allowFileStore;
    const clientFile = clientSecretPath(settings.google, dataDir);
    const accounts = checkConnected(stored, present, storeHere, clientFile);
    const secrets = checkSecrets(settings, answer, waitMs);
    // Where tokens go matters only to someone connecting an account.
    const wanted = accounts.status !== 'skip' || existsSync(clientFile);
    return [
      accounts,
      wanted || secrets.status === 'ok'
        ? secrets
        : { ...secrets, status: 'skip', detail: `${secrets.detail}; only needed to connect an account` },
    ];
  } finally {
    // Whatever is still asking the keyring is stopped: doctor has said what it could.
    keyring?.close();
  }
}

/** The keyring's module loads (and its helper starts) only when the keyring is to be asked. */
async function openKeyringWithin(waitMs: number): Promise<Keyring> {
  return (await import('../core/secrets/keyring-process.ts')).openKeyring({ waitMs });
}

function checkConnected(
  stored: StoredAccount[],
  present: (boolean | undefined)[],
  storeHere: boolean,
  clientFile: string,
): DoctorCheck {
  const base = { id: 'accounts', title: 'Accounts' };
  if (!stored.length) {
    return {
      ...base,
      status: 'skip',
      detail: existsSync(clientFile)
        ? 'None connected (optional); the Google OAuth client is in place'
        : `None connected (optional); no Google OAuth client at ${clientFile}`,
      fix: 'To add mail or calendars: `daily-brief connect imap|caldav|ics` (`daily-brief connect --help` lists the options); for Gmail and Google Calendar, follow docs/google.md, then `daily-brief connect google`',
    };
  }
  // A store that could not say in time leaves the account as stored, as `daily-brief accounts` does.
  const shown = stored.map((account, index) => ({ account, as: publicAccount(account, present[index] !== false) }));
  const fine = shown.filter((s) => s.as.status === 'connected').map((s) => label(s.as));
  const connected = fine.length ? `Connected: ${fine.join(', ')}` : '';
  const broken = shown.filter((s) => s.as.status === 'needs-reconnect');
  const elsewhere = shown.filter((s) => s.as.status === 'connected-elsewhere').map((s) => s.as);
  if (!broken.length && !elsewhere.length) return { ...base, status: 'ok', detail: connected };

  const problems = broken.map((s) => `${label(s.as)} needs reconnecting (${whyBroken(s.account)})`);
  if (elsewhere.length) {
    const are = elsewhere.length === 1 ? 'is' : 'are';
    problems.push(
      `${elsewhere.map(label).join(', ')} ${are} connected in the other app or on another computer, not here`,
    );
  }
  const them = broken.length + elsewhere.length === 1 ? 'it' : 'them';
  const steps = [...broken.map((s) => s.as), ...elsewhere].map(reconnectStep).join(', then ');
  let run = broken.length ? 'Run' : `To use ${them} here too, run`;
  // Connecting again here would fail with nowhere to keep the password, so that comes first.
  if (!storeHere) run = 'Install and unlock a keyring, or set secrets.allowFileStore to true in settings, then run';
  return {
    ...base,
    status: 'warn',
    detail: `${problems.join('; ')}: briefs made here leave ${them} out${connected ? `. ${connected}` : ''}`,
    fix: `${run} ${steps}`,
  };
}

/** "me@gmail.com (Google)", "Work mail (mail)": the name `daily-brief accounts` shows, and the kind in words. */
function label(account: Account): string {
  return `${account.name ?? account.address} (${KIND[account.provider]})`;
}

function whyBroken(account: StoredAccount): string {
  // Google's stored reasons can carry OAuth error codes; the servers' refusals are already one plain line.
  if (account.provider === 'google') return 'access was revoked or expired';
  const problem = account.problem?.replace(/\s+/g, ' ').trim();
  return problem || (account.provider === 'ics' ? 'its link was refused' : 'its password was refused');
}

/** What to run for one account; the CLI asks for the password itself. */
function reconnectStep(account: Account): string {
  if (!account.reconnect) return `\`daily-brief connect ${account.provider}\` for ${label(account)}`;
  const command = `\`${connectCommand(account.reconnect)}\``;
  switch (account.reconnect.provider) {
    case 'google':
      return `${command} and sign in as ${account.address}`;
    case 'ics':
      return `${command} with the calendar's link as LINK`;
    default:
      return command;
  }
}

function checkSecrets(settings: Settings, keyring: KeyringAnswer, waitMs: number): DoctorCheck {
  const base = { id: 'secrets', title: 'Token storage' };
  if (!keyring) {
    return {
      ...base,
      status: 'warn',
      detail: `The OS keyring did not answer within ${String(Math.round(waitMs / 1000))} s (it may be locked)`,
      fix: 'Unlock your keyring (GNOME Keyring, KWallet, Keychain) or check that its Secret Service is running, then run `daily-brief doctor` again',
    };
  }
  const { reason } = keyring;
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
    detail: `No OS keyring (${reason}), so accounts cannot be connected`,
    fix: 'Install and unlock a Secret Service keyring, or set secrets.allowFileStore to true in settings',
  };
}

/**
 * The accounts as the connectors see them, so the sources check can ask whether mail and calendars would be
 * fetched. Only whether a source is on: no secret is read.
 */
export function accountDeps(dataDir: string): GoogleConnectorDeps {
  const kv = {
    getValue: (key: string): unknown => readValue(dataDir, key),
    putValue: (): void => {
      throw new Error('doctor never writes');
    },
  };
  return {
    dataDir,
    accounts: new AccountRegistry(kv),
    secrets: () => Promise.reject(new Error('doctor never reads a secret')),
  };
}

function readAccounts(dataDir: string): StoredAccount[] {
  return accountDeps(dataDir).accounts.list();
}

/** Read-only and forgiving: a missing or damaged database is the database check's to report, not this one's. */
function readValue(dataDir: string, key: string): unknown {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const row = db.prepare<[string], { value_json: string }>('SELECT value_json FROM kv WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value_json) as unknown) : undefined;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
