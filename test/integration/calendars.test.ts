import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caldavConnector } from '../../connectors/calendars/caldav.ts';
import { connectCaldav, connectIcs } from '../../connectors/calendars/connect.ts';
import { icsConnector } from '../../connectors/calendars/ics.ts';
import type { ConnectorContext } from '../../connectors/types.ts';
import { AccountRegistry, tokenKey } from '../../core/accounts.ts';
import { fixedClock } from '../../core/clock.ts';
import { fileStore } from '../../core/secrets/file-store.ts';
import { parseSettings } from '../../core/settings.ts';
import type { Item } from '../../core/types.ts';
import {
  allInOne,
  BRIEF_MORNING,
  calendar,
  EVENTS,
  EXPECTED,
  holidays,
  OWNER,
  USER_ZONE,
} from '../fixtures/calendars/events.ts';
import { startServer, type LocalServer } from '../fakes/server.ts';
import { failure, memoryCache } from '../helpers/connector-cache.ts';
import { startHttpProxy, type HttpProxy } from '../servers/http-proxy.ts';
import { startRadicale, type Radicale } from '../servers/radicale.ts';

const PASSWORD = 'alice-calendar-password';
const shown = (items: Item[]) =>
  items
    .map((i) => ({ title: i.title, start: i.start, end: i.end }))
    .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? '') || a.title.localeCompare(b.title));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'db-calendars-'));
  const secrets = fileStore({ path: join(dir, 'secrets.enc.json'), keyPath: join(dir, 'state', 'secrets.key') });
  const kv = new Map<string, unknown>();
  const accounts = new AccountRegistry({ getValue: (k) => kv.get(k), putValue: (k, v) => kv.set(k, v) });
  const cache = memoryCache();
  const context = (): ConnectorContext => ({
    settings: parseSettings({ location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: USER_ZONE } }),
    signal: new AbortController().signal,
    clock: fixedClock(BRIEF_MORNING),
    cache,
    requestTimeoutMs: 5000,
  });
  const deps = { accounts, secrets, clock: fixedClock(BRIEF_MORNING) };
  const connectorDeps = { accounts, secrets: () => Promise.resolve(secrets) };
  return { dir, secrets, kv, accounts, cache, context, deps, connectorDeps };
}

describe('CalDAV against a real Radicale', () => {
  let radicale: Radicale;
  let proxy: HttpProxy;
  const s = setup();
  const connector = caldavConnector(s.connectorDeps);

  beforeAll(async () => {
    radicale = await startRadicale({ [OWNER]: PASSWORD });
    await radicale.seed(OWNER, 'work', EVENTS);
    proxy = await startHttpProxy(radicale.url);
  });
  afterAll(async () => {
    await proxy.close();
    await radicale.stop();
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('refuses a wrong password in one line and saves nothing', async () => {
    const error = await failure(connectCaldav(s.deps, { url: proxy.url, user: OWNER }, 'wrong'));
    expect(error.code).toBe('auth_failed');
    expect(error.oneLine()).toMatch(/^127\.0\.0\.1:\d+ refused the user name or password for alice@example\.test\. /);
    expect(s.accounts.list()).toEqual([]);
  });

  it('connects with the right password, the owner taken from the login', async () => {
    const account = await connectCaldav(s.deps, { url: proxy.url, user: OWNER, name: 'Work calendar' }, PASSWORD);
    expect(account).toMatchObject({
      provider: 'caldav',
      name: 'Work calendar',
      status: 'connected',
      server: proxy.url,
    });
    expect(s.accounts.list('caldav')[0]?.caldav?.owners).toContain(OWNER);
    expect(await s.secrets.get(tokenKey('caldav', 'Work calendar'))).toBe(PASSWORD);
  });

  let first: Item[] = [];
  it('first sync: the window expanded client-side, zones resolved, the owner’s decline dropped', async () => {
    const result = await connector.fetch(s.context());
    first = result.items;
    expect(result.warnings).toEqual([]);
    expect(shown(first)).toEqual(EXPECTED);
    expect(first.every((i) => i.source === 'caldav' && i.kind === 'event' && i.origin)).toBe(true);
    console.info(`CalDAV first refresh: ${String(first.length)} events synced`);
  });

  it('second refresh with nothing changed sends no REPORT', async () => {
    const from = proxy.requests.length;
    const result = await connector.fetch(s.context());
    expect(shown(result.items)).toEqual(shown(first));
    const sent = proxy.requests.slice(from);
    expect(sent.filter((r) => r.startsWith('REPORT'))).toEqual([]);
    console.info(
      `CalDAV second refresh: ${String(sent.filter((r) => r.startsWith('REPORT')).length)} REPORT (no event downloaded), ${String(result.items.length)} events shown`,
    );
    console.info(
      `CalDAV requests on an unchanged refresh: ${String(sent.length)} (${sent.map((r) => r.split(' ')[0]).join(', ')})`,
    );
  });

  it('a new event is picked up through the sync token', async () => {
    await radicale.put(OWNER, 'work', {
      uid: 'new@example.test',
      ics: calendar(`BEGIN:VEVENT
UID:new@example.test
DTSTAMP:20250330T000000Z
DTSTART:20250331T140000Z
DTEND:20250331T143000Z
SUMMARY:Added late
END:VEVENT`),
    });
    const from = proxy.requests.length;
    const result = await connector.fetch(s.context());
    expect(result.items.map((i) => i.title)).toContain('Added late');
    expect(result.items).toHaveLength(first.length + 1);
    const reports = proxy.requests.slice(from).filter((r) => r.startsWith('REPORT'));
    // sync-collection, then a multiget of the one changed object
    expect(reports).toHaveLength(2);
  });

  it('a server that goes down fails the source in one line', async () => {
    proxy.goDown();
    const error = await failure(connector.fetch(s.context()));
    expect(error.code).toBe('source_failed');
    expect(error.oneLine()).toMatch(/^CalDAV: work calendar: /);
    expect(error.oneLine()).not.toContain('\n');
  });
});

describe('ICS subscriptions over HTTP', () => {
  let server: LocalServer;
  const s = setup();
  const connector = icsConnector(s.connectorDeps);
  const work = allInOne();
  const big = holidays();
  const etag = `"${createHash('sha1').update(work).digest('hex')}"`;

  beforeAll(async () => {
    server = await startServer((req, res, url) => {
      if (url.pathname === '/secret-token/work.ics') {
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag });
        res.end(work);
        return;
      }
      if (url.pathname === '/holidays.ics') {
        const modified = 'Mon, 01 Jan 2024 00:00:00 GMT';
        if (req.headers['if-modified-since'] === modified) {
          res.writeHead(304);
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/calendar', 'last-modified': modified });
        res.end(big);
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('connects a subscription, keeping its URL only in the secret store', async () => {
    const missing = await failure(connectIcs(s.deps, { url: `${server.baseUrl}/nothing.ics` }));
    expect(missing.code).toBe('not_found');
    const url = `${server.baseUrl.replace('http://', 'webcal://')}/secret-token/work.ics`;
    // webcal:// is https underneath, which this plain-HTTP server does not speak.
    await expect(connectIcs(s.deps, { url })).rejects.toMatchObject({ code: 'tls_mismatch' });
    const account = await connectIcs(s.deps, { url: `${server.baseUrl}/secret-token/work.ics`, name: 'Team' });
    expect(account).toMatchObject({ provider: 'ics', name: 'Team', address: '127.0.0.1' });
    expect(await s.secrets.get(tokenKey('ics', 'Team'))).toBe(`${server.baseUrl}/secret-token/work.ics`);
    expect(JSON.stringify([...s.kv.values()])).not.toContain('secret-token');
    await connectIcs(s.deps, { url: `${server.baseUrl}/holidays.ics`, name: 'Holidays' });
  });

  it('first sync expands the file; the second is answered 304 and gives the same events', async () => {
    const result = await connector.fetch(s.context());
    expect(result.warnings).toEqual([]);
    // A subscription has no owner, so an invitation declined in it stays.
    const expected = [
      ...EXPECTED,
      { title: 'Optional brown-bag', start: '2025-03-31T12:00:00+02:00', end: '2025-03-31T13:00:00+02:00' },
      { title: "April Fools' Day", start: '2025-04-01T00:00:00+02:00', end: '2025-04-02T00:00:00+02:00' },
    ];
    expect(shown(result.items)).toEqual(shown(expected.map((e) => ({ ...e, tags: [] }) as unknown as Item)));
    expect(big.length).toBeGreaterThan(200_000);
    const from = server.requests.length;
    const again = await connector.fetch(s.context());
    expect(shown(again.items)).toEqual(shown(result.items));
    const conditional = server.requests.slice(from);
    expect(conditional).toHaveLength(2);
    expect(conditional.find((r) => r.path.endsWith('work.ics'))?.headers['if-none-match']).toBe(etag);
    expect(conditional.find((r) => r.path.endsWith('holidays.ics'))?.headers['if-modified-since']).toBeDefined();
    console.info(
      `ICS: first refresh ${String(result.items.length)} events from ${String(Math.round(big.length / 1024))} KB and more; second refresh ${String(conditional.length)} conditional requests, ${String(again.items.length)} events, no file downloaded`,
    );
  });
});
