import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Brief, Item } from '../types.ts';
import { openDatabase, schemaVersion } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { Store } from './store.ts';

function item(id: string, overrides: Partial<Item> = {}): Item {
  return { id, kind: 'news', source: 'rss', title: `title ${id}`, snippet: 's', tags: [], ...overrides };
}

function brief(id: string, generatedAt: string, sources: Brief['sources'] = []): Brief {
  return {
    id,
    generatedAt,
    dataAsOf: generatedAt,
    date: generatedAt.slice(0, 10),
    timezone: 'UTC',
    tldr: [],
    sections: [],
    weather: null,
    sources,
    generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
    timings: { fetchMs: 1, totalMs: 2 },
    notices: [],
  };
}

describe('Store', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-store-'));
    store = Store.open(dir);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens one WAL database with every migration applied, and reopens without re-running them', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(store.db)).toBe(MIGRATIONS.length);
    const tables = store.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((t) => t.name);
    for (const table of ['briefs', 'feedback_events', 'http_cache', 'items', 'kv', 'runs', 'source_health']) {
      expect(tables).toContain(table);
    }
    store.close();
    const again = openDatabase(dir);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
    store = Store.open(dir);
  });

  it('says in one line when the database file is damaged', () => {
    store.close();
    writeFileSync(join(dir, 'daily-brief.db'), 'this is not a database, just text that is long enough to matter');
    rmSync(join(dir, 'daily-brief.db-wal'), { force: true });
    rmSync(join(dir, 'daily-brief.db-shm'), { force: true });
    expect(() => openDatabase(dir)).toThrow(/cannot be read \(file is not a database\)/);
    store = new Store(openDatabase(join(dir, 'other')));
  });

  it('refuses a database from a newer version instead of damaging it', () => {
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    store.close();
    expect(() => openDatabase(dir)).toThrow(/newer Daily Brief/);
    const db = openDatabase(dir, { readonly: true });
    db.close();
    store = new Store(openDatabase(join(dir, 'other')));
  });

  it('tracks new, changed and unchanged items by content hash, keeping first-seen', () => {
    const run1 = store.startRun('test', '2026-12-01T06:00:00.000Z');
    expect(store.upsertItems(run1, [item('a'), item('b')], '2026-12-01T06:00:00.000Z')).toMatchObject({
      inserted: 2,
      changed: 0,
      unchanged: 0,
      changedIds: ['a', 'b'],
    });
    const run2 = store.startRun('test', '2026-12-01T07:00:00.000Z');
    const counts = store.upsertItems(run2, [item('a'), item('b', { title: 'edited' })], '2026-12-01T07:00:00.000Z');
    expect(counts).toMatchObject({ inserted: 0, changed: 1, unchanged: 1, changedIds: ['b'] });
    const row = store.db
      .prepare<[string], { first_seen: string; last_seen: string }>(
        'SELECT first_seen, last_seen FROM items WHERE id = ?',
      )
      .get('a');
    expect(row).toEqual({ first_seen: '2026-12-01T06:00:00.000Z', last_seen: '2026-12-01T07:00:00.000Z' });
    expect(store.getItem('b')?.title).toBe('edited');
    // Counters in meta move every refresh without the item changing.
    expect(store.changedItems([item('a', { meta: { score: 99 } })])).toEqual([]);
    expect(store.changedItems([item('a', { snippet: 'new text' }), item('c')])).toEqual(['a', 'c']);
  });

  it('serves the newest brief and keeps every earlier one', () => {
    const run = store.startRun('test', '2026-12-01T06:00:00.000Z');
    store.saveBrief(brief('b1', '2026-11-30T06:00:00.000Z'), run, '2026-11-30T06:00:01.000Z');
    const run2 = store.startRun('test', '2026-12-01T06:00:00.000Z');
    store.saveBrief(brief('b2', '2026-12-01T06:00:00.000Z'), run2, '2026-12-01T06:00:01.000Z');
    expect(store.latestBrief()?.id).toBe('b2');
    expect(store.briefForDate('2026-11-30')?.id).toBe('b1');
    expect(store.listBriefs().map((b) => b.id)).toEqual(['b2', 'b1']);
    const runRow = store.db.prepare<[string], { status: string }>('SELECT status FROM runs WHERE id = ?').get(run2);
    expect(runRow?.status).toBe('ok');
  });

  it('writes a brief, its run and source health together or not at all', () => {
    const run = store.startRun('test', '2026-12-01T06:00:00.000Z');
    store.saveBrief(brief('b1', '2026-12-01T06:00:00.000Z'), run, '2026-12-01T06:00:01.000Z');
    const run2 = store.startRun('test', '2026-12-01T07:00:00.000Z');
    // The last write (source health) fails after the brief row and the run row were written.
    const broken = { id: 'rss', status: null, itemCount: 3, durationMs: 5 } as unknown as Brief['sources'][number];
    expect(() => {
      store.saveBrief(brief('b2', '2026-12-01T07:00:00.000Z', [broken]), run2, '2026-12-01T07:00:01.000Z');
    }).toThrow(/NOT NULL/);
    expect(store.latestBrief()?.id).toBe('b1');
    expect(store.briefById('b2')).toBeUndefined();
    const runRow = store.db.prepare<[string], { status: string }>('SELECT status FROM runs WHERE id = ?').get(run2);
    expect(runRow?.status).toBe('running');
    expect(store.sourceHealth()).toEqual([]);
  });

  it('remembers the last success and the last error of each source, and the last good items', () => {
    const run1 = store.startRun('test', '2026-12-01T06:00:00.000Z');
    store.upsertItems(run1, [item('rss:1'), item('rss:2')], '2026-12-01T06:00:00.000Z');
    store.saveBrief(
      brief('b1', '2026-12-01T06:00:00.000Z', [
        { id: 'rss', status: 'ok', itemCount: 2, durationMs: 5, dataAsOf: '2026-12-01T06:00:00.000Z' },
      ]),
      run1,
      '2026-12-01T06:00:01.000Z',
      ['rss:1', 'rss:2'],
    );
    const run2 = store.startRun('test', '2026-12-01T07:00:00.000Z');
    // Stored by a refresh whose brief never committed: not part of the fallback.
    store.upsertItems(run2, [item('rss:1', { title: 'changed' }), item('rss:3')], '2026-12-01T07:00:00.000Z');
    store.saveBrief(
      brief('b2', '2026-12-01T07:00:00.000Z', [
        { id: 'rss', status: 'error', itemCount: 2, durationMs: 5, error: 'HTTP 500' },
      ]),
      run2,
      '2026-12-01T07:00:01.000Z',
    );
    expect(store.sourceHealth()).toEqual([
      {
        id: 'rss',
        status: 'error',
        itemCount: 2,
        lastRunAt: '2026-12-01T07:00:01.000Z',
        lastSuccessAt: '2026-12-01T06:00:00.000Z',
        lastError: 'HTTP 500',
        lastErrorAt: '2026-12-01T07:00:01.000Z',
      },
    ]);
    const last = store.lastGoodItems('rss');
    expect(last.items.map((i) => i.id).sort()).toEqual(['rss:1', 'rss:2']);
    expect(last.items.find((i) => i.id === 'rss:1')?.title).toBe('changed');
    expect(last.fetchedAt).toBe('2026-12-01T06:00:00.000Z');
    expect(store.lastGoodItems('weather').items).toEqual([]);
  });

  it('marks runs cut off by a crash as interrupted once they are too old to be running', () => {
    const cut = store.startRun('test', '2026-12-01T06:00:00.000Z');
    const recent = store.startRun('test', '2026-12-01T06:50:00.000Z');
    store.startRun('test', '2026-12-01T07:00:00.000Z');
    const status = (id: string) =>
      store.db
        .prepare<[string], { status: string; error: string | null }>('SELECT status, error FROM runs WHERE id = ?')
        .get(id);
    expect(status(cut)).toEqual({ status: 'failed', error: 'interrupted before it finished' });
    expect(status(recent)).toEqual({ status: 'running', error: null });
  });

  it('keeps feedback events append-only', () => {
    store.db
      .prepare('INSERT INTO feedback_events (at, item_id, action, snapshot) VALUES (?, ?, ?, ?)')
      .run('2026-12-01T06:00:00.000Z', 'rss:1', 'up', '{}');
    expect(() => store.db.prepare("UPDATE feedback_events SET action = 'down'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM feedback_events').run()).toThrow(/append-only/);
  });

  it('caches HTTP validators and values for connectors', () => {
    const cache = store.connectorCache(() => '2026-12-01T06:00:00.000Z');
    cache.putResponse({ url: 'https://x/feed', etag: '"1"', body: '<rss/>', fetchedAt: '2026-12-01T06:00:00.000Z' });
    expect(cache.getResponse('https://x/feed')).toEqual({
      url: 'https://x/feed',
      etag: '"1"',
      body: '<rss/>',
      fetchedAt: '2026-12-01T06:00:00.000Z',
    });
    cache.putResponse({ url: 'https://x/feed', lastModified: 'Tue', body: '<rss2/>', fetchedAt: 'later' });
    expect(cache.getResponse('https://x/feed')).toEqual({
      url: 'https://x/feed',
      lastModified: 'Tue',
      body: '<rss2/>',
      fetchedAt: 'later',
    });
    cache.putValue('geocode:berlin', { latitude: 52.5 });
    expect(cache.getValue('geocode:berlin')).toEqual({ latitude: 52.5 });
    expect(cache.getValue('missing')).toBeUndefined();
  });
});

describe('Store search', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-search-'));
    store = Store.open(dir);
    const run = store.startRun('test', '2026-12-01T06:00:00.000Z');
    store.upsertItems(
      run,
      [
        item('gmail:1', {
          kind: 'email',
          source: 'gmail',
          title: 'Northwind contract redlines',
          author: 'Priya Raman',
          publishedAt: '2026-12-01T05:00:00.000Z',
        }),
        item('rss:1', {
          title: 'Rates hold steady',
          snippet: 'The central bank kept rates',
          publishedAt: '2026-11-30T05:00:00.000Z',
        }),
        item('rss:2', {
          title: 'Contracts for chips',
          snippet: 'Suppliers signed',
          publishedAt: '2026-12-01T04:00:00.000Z',
        }),
        item('calendar:1', {
          kind: 'event',
          source: 'calendar',
          title: 'Northwind review',
          start: '2026-12-01T10:00:00.000Z',
        }),
      ],
      '2026-12-01T06:00:00.000Z',
    );
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds items by keywords (stemmed), names and authors, with kind and date filters', () => {
    expect(
      store
        .searchItems('northwind')
        .map((i) => i.id)
        .sort(),
    ).toEqual(['calendar:1', 'gmail:1']);
    expect(
      store
        .searchItems('contract')
        .map((i) => i.id)
        .sort(),
    ).toEqual(['gmail:1', 'rss:2']);
    expect(store.searchItems('Priya').map((i) => i.id)).toEqual(['gmail:1']);
    expect(store.searchItems('northwind', { kind: 'event' }).map((i) => i.id)).toEqual(['calendar:1']);
    expect(
      store
        .searchItems('rates contract', { since: '2026-12-01T00:00:00.000Z' })
        .map((i) => i.id)
        .sort(),
    ).toEqual(['gmail:1', 'rss:2']);
  });

  it('treats FTS syntax in a query as plain words', () => {
    expect(() => store.searchItems('NEAR( "x* OR title:')).not.toThrow();
    expect(store.searchItems('"rates" OR title:bank').map((i) => i.id)).toEqual(['rss:1']);
  });

  it('lists items by kind and date, newest first, and re-indexes changed items', () => {
    expect(store.listItems({ kind: 'news' }).map((i) => i.id)).toEqual(['rss:2', 'rss:1']);
    const run = store.startRun('test', '2026-12-01T07:00:00.000Z');
    store.upsertItems(run, [item('rss:1', { title: 'Rates cut sharply' })], '2026-12-01T07:00:00.000Z');
    expect(store.searchItems('steady')).toEqual([]);
    expect(store.searchItems('sharply').map((i) => i.id)).toEqual(['rss:1']);
  });
});
