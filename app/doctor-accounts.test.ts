import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAccounts } from './doctor-accounts.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import { parseSettings } from '../core/settings.ts';
import { fileSecrets, googleAccount, imapAccount, seedAccounts } from '../test/helpers/accounts.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'db-doctor-accounts-'));
  dirs.push(dir);
  return dir;
}

const noKeyring = { DAILY_BRIEF_NO_KEYRING: '1' };
const at = '2026-11-01T00:00:00Z';
const GOOGLE_TOKEN = 'google-refresh-token-do-not-print';
const WORK_PASSWORD = 'work-app-password-do-not-print';

const fileOptIn = parseSettings({ secrets: { allowFileStore: true } });

describe('doctor: accounts and token storage', () => {
  it('reports no account as optional, and says whether the OAuth client is in place', async () => {
    const dir = tempDir();
    const [accounts] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(accounts).toMatchObject({ id: 'accounts', title: 'Accounts', status: 'skip' });
    expect(accounts?.detail).toMatch(/^None connected \(optional\); no Google OAuth client at .*google-client\.json$/);
    expect(accounts?.fix).toMatch(/daily-brief connect imap\|caldav\|ics/);
    writeFileSync(join(dir, 'google-client.json'), '{}');
    const [again] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(again?.detail).toBe('None connected (optional); the Google OAuth client is in place');
  });

  it('lists every account by name and kind, and warns about one whose password is not on this computer', async () => {
    const dir = tempDir();
    seedAccounts(dir, [
      googleAccount('me@gmail.com'),
      imapAccount('work@example.com', 'imap.example.com'),
      imapAccount('home@example.org', 'imap.example.org'),
    ]);
    const { store, env } = fileSecrets(dir);
    await store.set('google:me@gmail.com', JSON.stringify({ refresh_token: GOOGLE_TOKEN }));
    await store.set('imap:work@example.com', WORK_PASSWORD);

    const checks = await checkAccounts(dir, fileOptIn, env);
    const [accounts] = checks;
    expect(accounts).toMatchObject({ id: 'accounts', status: 'warn' });
    expect(accounts?.detail).toBe(
      'home@example.org (mail) is connected in the other app or on another computer, not here: briefs made here leave it out. Connected: me@gmail.com (Google), work@example.com (mail)',
    );
    expect(accounts?.fix).toBe(
      'To use it here too, run `daily-brief connect imap --host imap.example.org --port 993 --security tls --user home@example.org --name home@example.org`',
    );
    // Presence only: no secret leaves the store, in any check.
    const said = JSON.stringify(checks);
    for (const secret of [GOOGLE_TOKEN, WORK_PASSWORD]) expect(said).not.toContain(secret);

    // With its password here too, every account is simply connected.
    await store.set('imap:home@example.org', 'home-password');
    const [fixed] = await checkAccounts(dir, fileOptIn, env);
    expect(fixed).toMatchObject({
      status: 'ok',
      detail: 'Connected: me@gmail.com (Google), home@example.org (mail), work@example.com (mail)',
    });
    expect(fixed?.fix).toBeUndefined();
    expect(JSON.stringify(fixed)).not.toContain('home-password');
  });

  it('warns about accounts that need reconnecting, naming each and the command that reconnects it', async () => {
    const dir = tempDir();
    seedAccounts(
      dir,
      [googleAccount('a@example.com')],
      [
        [googleAccount('b@example.com'), 'invalid_grant'],
        [
          imapAccount('alice@example.test', 'imap.example.test'),
          'imap.example.test refused the user name or password for alice@example.test',
        ],
      ],
    );
    const { store, env } = fileSecrets(dir);
    await store.set('google:a@example.com', GOOGLE_TOKEN);
    const [accounts] = await checkAccounts(dir, fileOptIn, env);
    expect(accounts?.status).toBe('warn');
    expect(accounts?.detail).toBe(
      'b@example.com (Google) needs reconnecting (access was revoked or expired); alice@example.test (mail) needs reconnecting (imap.example.test refused the user name or password for alice@example.test): briefs made here leave them out. Connected: a@example.com (Google)',
    );
    expect(accounts?.fix).toBe(
      'Run `daily-brief connect google` and sign in as b@example.com, then `daily-brief connect imap --host imap.example.test --port 993 --security tls --user alice@example.test --name alice@example.test`',
    );
  });

  it('names calendars in plain words, and says what LINK is for a calendar link', async () => {
    const dir = tempDir();
    seedAccounts(dir, [
      { provider: 'ics', address: 'calendar.example.test', name: 'Team days', status: 'connected', connectedAt: at },
      {
        provider: 'caldav',
        address: 'alice@example.test',
        name: 'alice@example.test',
        status: 'connected',
        connectedAt: at,
        caldav: { url: 'https://dav.example.test/', user: 'alice@example.test', owners: [] },
      },
    ]);
    const { store, env } = fileSecrets(dir);
    await store.set('caldav:alice@example.test', 'dav-password');
    const [accounts] = await checkAccounts(dir, fileOptIn, env);
    expect(accounts?.detail).toBe(
      'Team days (calendar link) is connected in the other app or on another computer, not here: briefs made here leave it out. Connected: alice@example.test (calendar)',
    );
    expect(accounts?.fix).toBe(
      "To use it here too, run `daily-brief connect ics --url LINK --name 'Team days'` with the calendar's link as LINK",
    );
  });

  it('says to make a place for passwords first when this computer cannot keep them', async () => {
    const dir = tempDir();
    seedAccounts(dir, [imapAccount('work@example.com', 'imap.example.com')]);
    const [accounts, storage] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(accounts?.status).toBe('warn');
    expect(accounts?.detail).toMatch(
      /^work@example\.com \(mail\) is connected in the other app or on another computer/,
    );
    expect(accounts?.fix).toMatch(
      /^Install and unlock a keyring, or set secrets\.allowFileStore to true in settings, then run `daily-brief connect imap --host imap\.example\.com /,
    );
    expect(storage).toMatchObject({ id: 'secrets', status: 'warn' });
  });

  it('does not wait on a secret store that does not answer (a locked keyring): the accounts stay as stored', async () => {
    const dir = tempDir();
    seedAccounts(dir, [imapAccount('work@example.com', 'imap.example.com')]);
    const never = new Promise<never>(() => undefined);
    const locked: SecretStore = {
      label: 'locked',
      get: () => never,
      has: () => never,
      set: () => never,
      delete: () => never,
    };
    const started = performance.now();
    const [accounts] = await checkAccounts(dir, fileOptIn, noKeyring, { secrets: locked, waitMs: 200 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(accounts).toMatchObject({ status: 'ok', detail: 'Connected: work@example.com (mail)' });
  });

  it('never reads a secret out, and writes nothing: presence only, from a read-only database', async () => {
    const dir = tempDir();
    seedAccounts(dir, [imapAccount('work@example.com', 'imap.example.com')]);
    const asked: string[] = [];
    const refuse = (what: string) => () => Promise.reject(new Error(`doctor must not ${what} a secret`));
    const watched: SecretStore = {
      label: 'watched',
      get: refuse('read'),
      has: (key) => {
        asked.push(key);
        return Promise.resolve(true);
      },
      set: refuse('write'),
      delete: refuse('delete'),
    };
    const before = readFileSync(join(dir, 'daily-brief.db'));
    const [accounts] = await checkAccounts(dir, fileOptIn, noKeyring, { secrets: watched });
    expect(accounts?.status).toBe('ok');
    expect(asked).toEqual(['imap:work@example.com']);
    expect(readFileSync(join(dir, 'daily-brief.db')).equals(before)).toBe(true);
  });

  it('says where tokens would go without a keyring: refused, or the opt-in encrypted file', async () => {
    const dir = tempDir();
    const [, unneeded] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(unneeded).toMatchObject({ id: 'secrets', status: 'skip' });
    expect(unneeded?.detail).toMatch(/only needed to connect an account$/);
    writeFileSync(join(dir, 'google-client.json'), '{}');
    const [, refused] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(refused).toMatchObject({ id: 'secrets', status: 'warn' });
    expect(refused?.detail).toMatch(/so accounts cannot be connected$/);
    expect(refused?.fix).toMatch(/secrets\.allowFileStore/);
    const [, file] = await checkAccounts(dir, fileOptIn, noKeyring);
    expect(file?.detail).toMatch(/encrypted file store you opted into/);
  });
});
