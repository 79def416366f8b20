import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountRegistry } from '../core/accounts.ts';
import { checkAccounts } from './doctor-accounts.ts';
import { parseSettings } from '../core/settings.ts';
import { Store } from '../core/store/store.ts';

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

describe('doctor: accounts and token storage', () => {
  it('reports no account as optional, and says whether the OAuth client is in place', async () => {
    const dir = tempDir();
    const [google] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(google).toMatchObject({ id: 'google', status: 'skip' });
    expect(google?.detail).toMatch(/^None connected \(optional\); no OAuth client at .*google-client\.json$/);
    writeFileSync(join(dir, 'google-client.json'), '{}');
    const [again] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(again?.detail).toBe('None connected; the OAuth client is in place');
  });

  it('warns about an account that needs reconnecting, naming it and the command', async () => {
    const dir = tempDir();
    const store = Store.open(dir);
    const registry = new AccountRegistry({
      getValue: (key) => store.getValue(key),
      putValue: (key, value) => {
        store.putValue(key, value, '2026-12-01T06:00:00.000Z');
      },
    });
    registry.upsert({
      provider: 'google',
      address: 'a@example.com',
      status: 'connected',
      connectedAt: '2026-11-01T00:00:00Z',
    });
    registry.upsert({
      provider: 'google',
      address: 'b@example.com',
      status: 'connected',
      connectedAt: '2026-11-01T00:00:00Z',
    });
    registry.markNeedsReconnect('google', 'b@example.com', 'invalid_grant');
    store.close();
    const [google] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(google?.status).toBe('warn');
    expect(google?.detail).toMatch(/^b@example\.com needs reconnecting/);
    expect(google?.fix).toMatch(/daily-brief connect google.*b@example\.com/);
  });

  it('says where tokens would go without a keyring: refused, or the opt-in encrypted file', async () => {
    const dir = tempDir();
    const [, unneeded] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(unneeded).toMatchObject({ id: 'secrets', status: 'skip' });
    expect(unneeded?.detail).toMatch(/only needed to connect a Google account$/);
    writeFileSync(join(dir, 'google-client.json'), '{}');
    const [, refused] = await checkAccounts(dir, parseSettings({}), noKeyring);
    expect(refused).toMatchObject({ id: 'secrets', status: 'warn' });
    expect(refused?.detail).toMatch(/Google accounts cannot be connected/);
    expect(refused?.fix).toMatch(/secrets\.allowFileStore/);
    const [, file] = await checkAccounts(dir, parseSettings({ secrets: { allowFileStore: true } }), noKeyring);
    expect(file?.detail).toMatch(/encrypted file store you opted into/);
  });
});
