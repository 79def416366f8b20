import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { Brief, Item } from '../../../types.ts';
import { migrate, type Db } from '../../database.ts';

/** A database as a release at `version` left it: migrated that far and no further. */
export function databaseAt(version: number): Db {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, { to: version });
  return db;
}

export const RUN_OK = 'run-20261201060000000-1a2b3c4d';
export const RUN_FAILED = 'run-20261202060000000-5e6f7a8b';
export const RUN_RUNNING = 'run-20261203060000000-9c0d1e2f';
export const BRIEF_ID = 'brief-2026-12-01-060012';

export const ITEMS: Item[] = [
  {
    id: 'gmail:18c2f0a9d3e4b5c6',
    kind: 'email',
    source: 'gmail',
    origin: 'Inbox',
    title: 'Invoice 2026-118 overdue',
    snippet: 'Your invoice for November is now seven days overdue.',
    body: 'Hello, your invoice 2026-118 for November is now seven days overdue. Please settle it by Friday.',
    author: 'Billing <billing@acme.example>',
    publishedAt: '2026-11-30T17:42:00.000Z',
    tags: ['unread', 'important'],
  },
  {
    id: 'calendar:evt-7781',
    kind: 'event',
    source: 'calendar',
    origin: 'Work',
    title: 'Quarterly planning with Dana',
    snippet: 'Room 4B, bring the roadmap draft',
    start: '2026-12-01T09:30:00.000Z',
    end: '2026-12-01T10:30:00.000Z',
    publishedAt: '2026-11-20T08:00:00.000Z',
    tags: [],
  },
  {
    id: 'rss:https://news.example/ecb-rates',
    kind: 'news',
    source: 'rss',
    origin: 'Example Finance',
    title: 'Central bank holds rates, signals cuts running into spring',
    snippet: 'The bank kept its deposit rate unchanged.',
    url: 'https://news.example/ecb-rates',
    publishedAt: '2026-12-01T05:10:00.000Z',
    category: 'market',
    tags: [],
  },
  {
    id: 'hackernews:41234567',
    kind: 'news',
    source: 'hackernews',
    origin: 'Hacker News',
    title: 'SQLite as an application file format',
    snippet: '',
    url: 'https://sqlite.example/appfileformat',
    author: 'drh',
    publishedAt: '2026-12-01T04:00:00.000Z',
    category: 'tech',
    tags: [],
    meta: { points: 412, comments: 187 },
  },
  {
    // An email with neither a start nor a published time: its time is when it was first seen.
    id: 'gmail:18c2f0a9d3e4ffff',
    kind: 'email',
    source: 'gmail',
    title: 'Lunch?',
    snippet: 'Are you free on Thursday?',
    author: 'Sam <sam@friends.example>',
    tags: ['unread'],
  },
];

export const FIRST_SEEN = '2026-12-01T06:00:03.000Z';
export const LAST_SEEN = '2026-12-02T06:00:04.000Z';

export const BRIEF: Brief = {
  id: BRIEF_ID,
  generatedAt: '2026-12-01T06:00:12.000Z',
  dataAsOf: '2026-12-01T06:00:04.000Z',
  date: '2026-12-01',
  timezone: 'Europe/Berlin',
  tldr: [{ text: 'An invoice is a week overdue.', itemIds: ['gmail:18c2f0a9d3e4b5c6'] }],
  sections: [],
  weather: null,
  sources: [
    { id: 'gmail', status: 'ok', itemCount: 2, durationMs: 812, dataAsOf: '2026-12-01T06:00:04.000Z' },
    { id: 'rss', status: 'ok', itemCount: 1, durationMs: 231 },
  ],
  generator: { mode: 'extractive', model: null, llmCalls: 0, promptTokens: 0, completionTokens: 0, durationMs: 0 },
  timings: { fetchMs: 1043, totalMs: 1180 },
  notices: [],
};

/**
 * Fills a database at `version` with rows as the app at that version wrote them: a good run with its
 * brief, a failed run, a run cut off mid-way, items of every kind, source health after a success and
 * after a failure, cached HTTP responses, small values, feedback events, and whatever later tables exist.
 */
export function populate(db: Db, version: number): void {
  const run = db.prepare(
    `INSERT INTO runs (id, trigger, started_at, finished_at, status, sources_json, fetch_ms, total_ms, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  run.run(RUN_OK, 'schedule', '2026-12-01T06:00:00.000Z', '2026-12-01T06:00:12.000Z', 'ok', '[]', 1043, 1180, null);
  run.run(
    RUN_FAILED,
    'manual',
    '2026-12-02T06:00:00.000Z',
    '2026-12-02T06:00:09.000Z',
    'failed',
    '[]',
    800,
    900,
    'no sources',
  );
  db.prepare(`INSERT INTO runs (id, trigger, started_at, status) VALUES (?, 'cli', ?, 'running')`).run(
    RUN_RUNNING,
    '2026-12-03T06:00:00.000Z',
  );

  const item = db.prepare(
    `INSERT INTO items (id, source, kind, json, content_hash, first_seen, last_seen, last_run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  ITEMS.forEach((it, i) => {
    const lastRun = i === 4 ? RUN_FAILED : RUN_OK;
    item.run(it.id, it.source, it.kind, JSON.stringify(it), `hash-${i}`, FIRST_SEEN, LAST_SEEN, lastRun);
  });
  if (version >= 2) {
    const index = db.prepare('INSERT INTO items_fts (rowid, title, text) VALUES (?, ?, ?)');
    for (const row of db.prepare<[], { rowid: number; json: string }>('SELECT rowid, json FROM items').all()) {
      const it = JSON.parse(row.json) as Item;
      index.run(row.rowid, it.title, [it.snippet, it.body, it.author, it.origin].filter(Boolean).join(' '));
    }
  }
  // Since 3, only the items a committed brief used are "last good"; the last one came from a failed run.
  if (version >= 3) db.prepare('UPDATE items SET ok_run_id = ? WHERE last_run_id = ?').run(RUN_OK, RUN_OK);
  if (version >= 5) {
    db.prepare(
      `UPDATE items SET item_at = coalesce(json_extract(json, '$.start'), json_extract(json, '$.publishedAt'), first_seen)`,
    ).run();
  }

  db.prepare('INSERT INTO briefs (id, run_id, brief_date, generated_at, json) VALUES (?, ?, ?, ?, ?)').run(
    BRIEF_ID,
    RUN_OK,
    BRIEF.date,
    BRIEF.generatedAt,
    JSON.stringify(BRIEF),
  );

  const health = db.prepare(
    `INSERT INTO source_health (source, status, item_count, last_run_at, last_success_at, last_ok_run_id, last_error, last_error_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  health.run('gmail', 'ok', 2, '2026-12-01T06:00:12.000Z', '2026-12-01T06:00:04.000Z', RUN_OK, null, null);
  health.run(
    'rss',
    'error',
    0,
    '2026-12-02T06:00:09.000Z',
    '2026-12-01T06:00:12.000Z',
    RUN_OK,
    'feed answered 503',
    '2026-12-02T06:00:09.000Z',
  );

  db.prepare('INSERT INTO http_cache (url, etag, last_modified, body, fetched_at) VALUES (?, ?, ?, ?, ?)').run(
    'https://news.example/feed.xml',
    'W/"5f1-abc"',
    'Tue, 01 Dec 2026 05:00:00 GMT',
    '<rss version="2.0"><channel><title>Example Finance</title></channel></rss>',
    '2026-12-01T06:00:02.000Z',
  );
  db.prepare('INSERT INTO kv (key, value_json, updated_at) VALUES (?, ?, ?)').run(
    'gmail.historyId',
    '"918273"',
    '2026-12-01T06:00:04.000Z',
  );

  const feedback = db.prepare('INSERT INTO feedback_events (at, item_id, action, snapshot) VALUES (?, ?, ?, ?)');
  const snapshot = { item: { kind: 'news', source: 'rss', feed: 'Example Finance', title: ITEMS[2]?.title } };
  feedback.run('2026-12-01T07:15:00.000Z', ITEMS[2]?.id, 'up', JSON.stringify(snapshot));
  feedback.run(
    '2026-12-01T07:16:00.000Z',
    ITEMS[3]?.id,
    'mute',
    JSON.stringify({ ...snapshot, scope: 'topic', value: 'sqlite' }),
  );

  if (version >= 4) {
    db.prepare(
      `INSERT INTO memory_index (id, kind, date, content_hash, document, metadata, model, state, updated_at)
       VALUES (?, 'item', ?, 'mh-1', ?, ?, 'nomic-embed-text', 'embedded', ?)`,
    ).run(ITEMS[0]?.id, 1764612000000, 'Invoice 2026-118 overdue', '{"kind":"email"}', '2026-12-01T06:00:12.000Z');
  }
  if (version >= 6) {
    const candidate = db.prepare('INSERT INTO brief_candidates (brief_id, item_id, base, stale) VALUES (?, ?, ?, ?)');
    candidate.run(BRIEF_ID, ITEMS[0]?.id, 0.92, 0);
    candidate.run(BRIEF_ID, ITEMS[2]?.id, 0.41, 1);
  }
  if (version >= 7) {
    db.prepare('INSERT INTO rank_vectors (item_id, vector) VALUES (?, ?)').run(
      ITEMS[0]?.id,
      Buffer.from(new Float32Array([0.25, -0.5, 1]).buffer),
    );
  }
  if (version >= 8) {
    db.prepare('UPDATE briefs SET original_json = json, json = ? WHERE id = ?').run(
      JSON.stringify({ ...BRIEF, tldr: [] }),
      BRIEF_ID,
    );
  }
}

/** Every row of a table (in rowid order when it has one), limited to the given columns. */
export function rows(db: Db, table: string, columns: string[] = ['*']): Record<string, unknown>[] {
  const withoutRowid = /WITHOUT ROWID/i.test(
    db.prepare<[string], { sql: string }>('SELECT sql FROM sqlite_master WHERE name = ?').get(table)?.sql ?? '',
  );
  return db
    .prepare<[], Record<string, unknown>>(
      `SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${withoutRowid ? '1, 2' : 'rowid'}`,
    )
    .all();
}

export function columnNames(db: Db, table: string): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((c) => c.name);
}

export function tableNames(db: Db): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((t) => t.name);
}

/** Every plain table's rows, as they are now: what a migration must leave untouched. */
export function snapshotTables(db: Db): Map<string, { columns: string[]; rows: Record<string, unknown>[] }> {
  const plain = db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
       AND name NOT LIKE 'items_fts%' ORDER BY name`,
    )
    .all();
  return new Map(
    plain.map(({ name }) => {
      const columns = columnNames(db, name);
      return [name, { columns, rows: rows(db, name, columns) }];
    }),
  );
}

/** Checks that every row and column present before the migration is still there, unchanged. */
export function expectRowsSurvive(before: ReturnType<typeof snapshotTables>, after: Db): void {
  for (const [table, { columns, rows: old }] of before) {
    expect({ table, rows: rows(after, table, columns) }).toEqual({ table, rows: old });
  }
}

/**
 * The database of an app at version - 1, full of its rows, then upgraded by migration `version` alone.
 * `before` is what it held before the upgrade.
 */
export function upgradeTo(version: number): { db: Db; before: ReturnType<typeof snapshotTables> } {
  const db = databaseAt(version - 1);
  populate(db, version - 1);
  const before = snapshotTables(db);
  migrate(db, { to: version });
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  return { db, before };
}
