import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkArgs } from '../contract/calls.ts';
import { AccountRegistry } from '../core/accounts.ts';
import { fixedClock } from '../core/clock.ts';
import { memoryLogger } from '../core/log.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import { Store } from '../core/store/store.ts';
import { calendar } from '../test/fixtures/calendars/events.ts';
import { startServer, type LocalServer } from '../test/fakes/server.ts';
import { createApi } from './api.ts';
import { BriefService } from './service.ts';

/**
 * One account list, two secret stores: the desktop app keeps tokens in safeStorage where it cannot reach the
 * OS keyring, the CLI in the keyring (or its file). This front end's list says which accounts have no secret here.
 */
const NOW = '2026-12-01T06:00:00.000Z';
const PASSWORD = 'alice-app-password-7f3';
const ICS_TOKEN = 'private-ics-token-9c1';

/** This front end's store. Presence only: a list that read a secret out would fail here. */
function thisAppsStore(values: Map<string, string>): SecretStore {
  return {
    label: 'memory',
    get: () => Promise.reject(new Error('the list read a secret')),
    has: (key) => Promise.resolve(values.has(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
}

let dir: string;
let ics: LocalServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'db-accounts-here-'));
  ics = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/calendar' });
    res.end(
      calendar(
        'BEGIN:VEVENT\nUID:h@example.test\nDTSTAMP:20250101T000000Z\nDTSTART;VALUE=DATE:20261202\nSUMMARY:Holiday\nEND:VEVENT',
      ),
    );
  });
  // The shared list, as the other front end left it.
  const store = Store.open(dir);
  const registry = new AccountRegistry({
    getValue: (key) => store.getValue(key),
    putValue: (key, value) => {
      store.putValue(key, value, NOW);
    },
  });
  const base = { status: 'connected' as const, connectedAt: NOW };
  registry.upsert({ ...base, provider: 'google', address: 'you@example.com' });
  registry.upsert({
    ...base,
    provider: 'imap',
    address: 'alice@example.test',
    name: 'Work',
    imap: { host: 'imap.example.test', port: 993, security: 'tls', user: 'alice@example.test', mailbox: 'INBOX' },
  });
  registry.upsert({
    ...base,
    provider: 'caldav',
    address: 'alice@example.test',
    caldav: { url: 'https://dav.example.test/', user: 'alice@example.test', owners: [] },
  });
  registry.markNeedsReconnect('caldav', 'alice@example.test', 'the password was refused');
  registry.upsert({ ...base, provider: 'ics', address: '127.0.0.1', name: 'Holidays' });
  store.close();
});

afterAll(async () => {
  await ics.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(secrets: SecretStore): BriefService {
  return new BriefService({ dataDir: dir, clock: fixedClock(NOW), log: memoryLogger(), secrets });
}

describe('accounts/list in a front end whose secret store lacks some secrets', () => {
  it('says which are connected in the other app, with what connects them here, and never a secret', async () => {
    const values = new Map([['imap:work', PASSWORD]]);
    const app = service(thisAppsStore(values));
    const list = await createApi(app)['accounts/list']({});
    expect(list).toEqual([
      {
        provider: 'caldav',
        address: 'alice@example.test',
        name: 'alice@example.test',
        server: 'https://dav.example.test/',
        status: 'needs-reconnect',
        connectedAt: NOW,
        reconnect: {
          provider: 'caldav',
          url: 'https://dav.example.test/',
          user: 'alice@example.test',
          name: 'alice@example.test',
        },
      },
      {
        provider: 'google',
        address: 'you@example.com',
        status: 'connected-elsewhere',
        connectedAt: NOW,
        reconnect: { provider: 'google' },
      },
      {
        provider: 'ics',
        address: '127.0.0.1',
        name: 'Holidays',
        status: 'connected-elsewhere',
        connectedAt: NOW,
        reconnect: { provider: 'ics', name: 'Holidays' },
      },
      {
        provider: 'imap',
        address: 'alice@example.test',
        name: 'Work',
        server: 'imap.example.test:993 (tls)',
        status: 'connected',
        connectedAt: NOW,
      },
    ]);
    expect(JSON.stringify(list)).not.toContain(PASSWORD);
    // The shared list itself is unchanged: the grant is fine, the other app still uses it.
    expect(app.accounts.list().find((a) => a.provider === 'google')?.status).toBe('connected');

    // What the list gives is what `accounts/connect` takes, once the secret is added.
    for (const account of list) {
      const reconnect = account.reconnect;
      if (!reconnect) continue;
      const secret =
        reconnect.provider === 'google'
          ? {}
          : reconnect.provider === 'ics'
            ? { url: 'https://x/a.ics' }
            : { password: 'p' };
      expect(() => checkArgs('accounts/connect', { ...reconnect, ...secret })).not.toThrow();
    }
    app.close();
  });

  it('connects an account here with the link asked again, and then lists it as connected', async () => {
    const values = new Map([['imap:work', PASSWORD]]);
    const app = service(thisAppsStore(values));
    const api = createApi(app);
    const holidays = (await api['accounts/list']({})).find((a) => a.provider === 'ics');
    if (holidays?.reconnect?.provider !== 'ics') throw new Error('no way to reconnect the ICS account');
    await api['accounts/connect']({ ...holidays.reconnect, url: `${ics.baseUrl}/cal/${ICS_TOKEN}/basic.ics` });
    expect(values.get('ics:holidays')).toContain(ICS_TOKEN);
    const after = await api['accounts/list']({});
    expect(after.find((a) => a.provider === 'ics')).toMatchObject({ name: 'Holidays', status: 'connected' });
    expect(after.filter((a) => a.provider === 'ics')).toHaveLength(1);
    expect(JSON.stringify(after)).not.toContain(ICS_TOKEN);

    // What disconnect answers is the list as this front end sees it too.
    const left = await api['accounts/disconnect']({ account: 'ics:holidays' });
    expect(left.find((a) => a.provider === 'google')?.status).toBe('connected-elsewhere');
    app.close();
  });

  it('leaves accounts as stored when the store cannot say (a locked keyring), without holding the list up', async () => {
    const values = new Map<string, string>();
    const locked: SecretStore = {
      ...thisAppsStore(values),
      has: (key) =>
        key.startsWith('google:') ? Promise.reject(new Error('the keyring is locked')) : new Promise(() => undefined),
    };
    const app = service(locked);
    const list = await app.accounts.listHere({ waitMs: 50 });
    expect(list.map((a) => `${a.provider}:${a.status}`)).toEqual([
      'caldav:needs-reconnect',
      'google:connected',
      'imap:connected',
    ]);
    app.close();
  });
});
