import { createHash, randomUUID } from 'node:crypto';
import type { CachedResponse, ConnectorCache } from '../types.ts';
import type { Brief, Item, RefreshTrigger, SourceHealth, SourceStatus } from '../types.ts';
import { openDatabase, type Db } from './database.ts';
import { FeedbackLog, type RankingInputs } from './feedback-log.ts';

/** Longer than any refresh can take (source time-outs are capped at 5 minutes). */
const INTERRUPTED_AFTER_MS = 30 * 60_000;

export interface UpsertCounts {
  inserted: number;
  changed: number;
  unchanged: number;
}

export interface BriefListEntry {
  id: string;
  date: string;
  generatedAt: string;
}

/**
 * Everything the app keeps, behind one small API. Prepared statements are built lazily so that
 * `show` (one read) pays for nothing else.
 */
export class Store {
  readonly db: Db;
  readonly feedback: FeedbackLog;

  constructor(db: Db) {
    this.db = db;
    this.feedback = new FeedbackLog(db);
  }

  static open(dataDir: string): Store {
    return new Store(openDatabase(dataDir));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- items -----------------------------------------------------------------------------

  /** Which of these items are new or changed since they were last stored (the memory layer embeds only those). */
  changedItems(items: Item[]): string[] {
    const select = this.db.prepare<[string], { content_hash: string }>('SELECT content_hash FROM items WHERE id = ?');
    return items.filter((item) => select.get(item.id)?.content_hash !== contentHash(item)).map((item) => item.id);
  }

  /** Records items for a run. Returns which are new or changed. */
  upsertItems(runId: string, items: Item[], now: string): UpsertCounts & { changedIds: string[] } {
    const select = this.db.prepare<[string], { content_hash: string }>('SELECT content_hash FROM items WHERE id = ?');
    const insert = this.db.prepare(
      `INSERT INTO items (id, source, kind, json, content_hash, first_seen, last_seen, last_run_id, item_at)
       VALUES (@id, @source, @kind, @json, @hash, @now, @now, @runId, @at)
       ON CONFLICT (id) DO UPDATE SET json = excluded.json, content_hash = excluded.content_hash,
         kind = excluded.kind, last_seen = excluded.last_seen, last_run_id = excluded.last_run_id,
         item_at = coalesce(@itemAt, items.first_seen)`,
    );
    const rowidOf = this.db.prepare<[string], { rowid: number }>('SELECT rowid FROM items WHERE id = ?');
    const unindex = this.db.prepare('DELETE FROM items_fts WHERE rowid = ?');
    const index = this.db.prepare('INSERT INTO items_fts (rowid, title, text) VALUES (?, ?, ?)');
    const counts = { inserted: 0, changed: 0, unchanged: 0, changedIds: [] as string[] };
    this.db
      .transaction(() => {
        for (const item of items) {
          const json = JSON.stringify(item);
          const hash = contentHash(item);
          const existing = select.get(item.id);
          if (!existing) counts.inserted++;
          else if (existing.content_hash !== hash) counts.changed++;
          else counts.unchanged++;
          const itemAt = item.start ?? item.publishedAt ?? null;
          insert.run({
            id: item.id,
            source: item.source,
            kind: item.kind,
            json,
            hash,
            now,
            runId,
            at: itemAt ?? now,
            itemAt,
          });
          if (!existing || existing.content_hash !== hash) {
            counts.changedIds.push(item.id);
            const rowid = rowidOf.get(item.id)?.rowid;
            if (existing) unindex.run(rowid);
            index.run(rowid, item.title, [item.snippet, item.body, item.author, item.origin].filter(Boolean).join(' '));
          }
        }
      })
      .immediate();
    return counts;
  }

  /** The items a source returned the last time it succeeded, for serving as "stale" when it fails. */
  lastGoodItems(source: string): { items: Item[]; fetchedAt?: string } {
    const health = this.db
      .prepare<[string], { last_ok_run_id: string | null; last_success_at: string | null }>(
        'SELECT last_ok_run_id, last_success_at FROM source_health WHERE source = ?',
      )
      .get(source);
    if (!health?.last_ok_run_id) return { items: [] };
    const rows = this.db
      .prepare<[string, string], { json: string }>('SELECT json FROM items WHERE source = ? AND ok_run_id = ?')
      .all(source, health.last_ok_run_id);
    return { items: rows.map((r) => JSON.parse(r.json) as Item), fetchedAt: health.last_success_at ?? undefined };
  }

  getItem(id: string): Item | undefined {
    const row = this.db.prepare<[string], { json: string }>('SELECT json FROM items WHERE id = ?').get(id);
    return row ? (JSON.parse(row.json) as Item) : undefined;
  }

  /** Keyword search (FTS5, BM25-ranked) with optional kind, source and date filters. */
  searchItems(query: string, filter: ItemFilter = {}): Item[] {
    const terms = query.match(/[\p{L}\p{N}]+/gu)?.slice(0, 12) ?? [];
    if (!terms.length) return this.listItems(filter);
    // Each term quoted, so nothing in the query is read as FTS syntax.
    const match = terms.map((t) => `"${t}"`).join(' OR ');
    const { where, params } = filterClause(filter, 'i.');
    const rows = this.db
      .prepare<unknown[], { json: string }>(
        // Materialized first: otherwise the planner may walk the date index and run the full-text
        // match once per row, which is orders of magnitude slower on a large store.
        `WITH m AS MATERIALIZED (SELECT rowid, bm25(items_fts) AS rank FROM items_fts WHERE items_fts MATCH ?)
         SELECT i.json FROM m JOIN items i ON i.rowid = m.rowid
         ${where ? `WHERE ${where}` : ''}
         ORDER BY m.rank LIMIT ?`,
      )
      .all(match, ...params, clampLimit(filter.limit));
    return rows.map((r) => JSON.parse(r.json) as Item);
  }

  /** Items by kind, source and date, newest first. */
  listItems(filter: ItemFilter = {}): Item[] {
    const { where, params } = filterClause(filter, '');
    const rows = this.db
      .prepare<unknown[], { json: string }>(
        `SELECT json FROM items ${where ? `WHERE ${where}` : ''} ORDER BY item_at DESC LIMIT ?`,
      )
      .all(...params, clampLimit(filter.limit));
    return rows.map((r) => JSON.parse(r.json) as Item);
  }

  countItems(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM items').get()?.n ?? 0;
  }

  // ---- runs ------------------------------------------------------------------------------

  startRun(trigger: RefreshTrigger, startedAt: string): string {
    // A run still "running" long after any refresh could last was cut off (crash, kill, power loss).
    const cutoff = new Date(Date.parse(startedAt) - INTERRUPTED_AFTER_MS).toISOString();
    this.db
      .prepare(
        `UPDATE runs SET status = 'failed', error = 'interrupted before it finished' WHERE status = 'running' AND started_at < ?`,
      )
      .run(cutoff);
    const id = `run-${startedAt.replace(/[^0-9]/g, '').slice(0, 17)}-${randomUUID().slice(0, 8)}`;
    this.db
      .prepare(`INSERT INTO runs (id, trigger, started_at, status) VALUES (?, ?, ?, 'running')`)
      .run(id, trigger, startedAt);
    return id;
  }

  failRun(runId: string, finishedAt: string, error: string): void {
    this.db
      .prepare(`UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`)
      .run(finishedAt, error, runId);
  }

  // ---- briefs ----------------------------------------------------------------------------

  /**
   * The end of a refresh, all or nothing: the brief, the run's outcome, every source's health, and
   * the mark that makes this run's items the "last good" set. If the process dies inside, SQLite rolls
   * it all back: the previous brief is still served and the previous items are still the fallback.
   */
  saveBrief(
    brief: Brief,
    runId: string,
    finishedAt: string,
    freshIds: string[] = [],
    ranking: RankingInputs = {},
  ): void {
    const markGood = this.db.prepare('UPDATE items SET ok_run_id = ? WHERE id = ?');
    const insertBrief = this.db.prepare(
      'INSERT INTO briefs (id, run_id, brief_date, generated_at, json) VALUES (?, ?, ?, ?, ?)',
    );
    const finishRun = this.db.prepare(
      `UPDATE runs SET status = 'ok', finished_at = ?, sources_json = ?, fetch_ms = ?, total_ms = ? WHERE id = ?`,
    );
    this.db
      .transaction(() => {
        for (const id of freshIds) markGood.run(runId, id);
        insertBrief.run(brief.id, runId, brief.date, brief.generatedAt, JSON.stringify(brief));
        this.feedback.saveCandidates(brief.id, ranking.candidates ?? []);
        if (ranking.vectors) this.feedback.replaceRankVectors(ranking.vectors);
        faultPoint('brief-write');
        finishRun.run(finishedAt, JSON.stringify(brief.sources), brief.timings.fetchMs, brief.timings.totalMs, runId);
        for (const status of brief.sources) this.recordSourceHealth(status, runId, finishedAt);
      })
      .immediate();
  }

  /** The most recently written brief (by insertion, so a clock that moved back cannot resurface an old one). */
  latestBrief(): Brief | undefined {
    const row = this.db.prepare<[], { json: string }>('SELECT json FROM briefs ORDER BY rowid DESC LIMIT 1').get();
    return row ? (JSON.parse(row.json) as Brief) : undefined;
  }

  /** The same brief, re-ranked after a vote. Only the view changes: the run and its items stay as they were. */
  replaceBrief(brief: Brief): void {
    this.db
      .prepare('UPDATE briefs SET original_json = coalesce(original_json, json), json = ? WHERE id = ?')
      .run(JSON.stringify(brief), brief.id);
  }

  /** The brief as the refresh wrote it, before any re-rank. */
  originalBrief(id: string): Brief | undefined {
    const row = this.db
      .prepare<[string], { json: string }>('SELECT coalesce(original_json, json) AS json FROM briefs WHERE id = ?')
      .get(id);
    return row ? (JSON.parse(row.json) as Brief) : undefined;
  }

  briefById(id: string): Brief | undefined {
    const row = this.db.prepare<[string], { json: string }>('SELECT json FROM briefs WHERE id = ?').get(id);
    return row ? (JSON.parse(row.json) as Brief) : undefined;
  }

  /** The newest brief written for a local date (YYYY-MM-DD). */
  briefForDate(date: string): Brief | undefined {
    const row = this.db
      .prepare<[string], { json: string }>('SELECT json FROM briefs WHERE brief_date = ? ORDER BY rowid DESC LIMIT 1')
      .get(date);
    return row ? (JSON.parse(row.json) as Brief) : undefined;
  }

  listBriefs(limit = 30): BriefListEntry[] {
    return this.db
      .prepare<[number], BriefListEntry>(
        'SELECT id, brief_date AS date, generated_at AS generatedAt FROM briefs ORDER BY rowid DESC LIMIT ?',
      )
      .all(limit);
  }

  // ---- source health ---------------------------------------------------------------------

  private recordSourceHealth(status: SourceStatus, runId: string, at: string): void {
    const ok = status.status === 'ok';
    this.db
      .prepare(
        `INSERT INTO source_health (source, status, item_count, last_run_at, last_success_at, last_ok_run_id, last_error, last_error_at)
         VALUES (@source, @status, @count, @at, @successAt, @okRun, @error, @errorAt)
         ON CONFLICT (source) DO UPDATE SET status = excluded.status, item_count = excluded.item_count,
           last_run_at = excluded.last_run_at,
           last_success_at = coalesce(excluded.last_success_at, last_success_at),
           last_ok_run_id = coalesce(excluded.last_ok_run_id, last_ok_run_id),
           last_error = coalesce(excluded.last_error, last_error),
           last_error_at = coalesce(excluded.last_error_at, last_error_at)`,
      )
      .run({
        source: status.id,
        status: status.status,
        count: status.itemCount,
        at,
        successAt: ok ? (status.dataAsOf ?? at) : null,
        okRun: ok ? runId : null,
        error: status.error ?? null,
        errorAt: status.error ? at : null,
      });
  }

  sourceHealth(): SourceHealth[] {
    const rows = this.db
      .prepare<
        [],
        {
          source: string;
          status: SourceHealth['status'];
          item_count: number;
          last_run_at: string;
          last_success_at: string | null;
          last_error: string | null;
          last_error_at: string | null;
        }
      >('SELECT * FROM source_health ORDER BY source')
      .all();
    return rows.map((r) => ({
      id: r.source,
      status: r.status,
      itemCount: r.item_count,
      lastRunAt: r.last_run_at,
      ...(r.last_success_at ? { lastSuccessAt: r.last_success_at } : {}),
      ...(r.last_error ? { lastError: r.last_error, lastErrorAt: r.last_error_at ?? undefined } : {}),
    }));
  }

  // ---- small values ----------------------------------------------------------------------

  getValue(key: string): unknown {
    const row = this.db.prepare<[string], { value_json: string }>('SELECT value_json FROM kv WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value_json) as unknown) : undefined;
  }

  putValue(key: string, value: unknown, now: string): void {
    this.db
      .prepare(
        `INSERT INTO kv (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), now);
  }

  // ---- connector cache -------------------------------------------------------------------

  connectorCache(now: () => string): ConnectorCache {
    return {
      getResponse: (url) => {
        const row = this.db
          .prepare<
            [string],
            { url: string; etag: string | null; last_modified: string | null; body: string; fetched_at: string }
          >('SELECT * FROM http_cache WHERE url = ?')
          .get(url);
        if (!row) return undefined;
        const entry: CachedResponse = { url: row.url, body: row.body, fetchedAt: row.fetched_at };
        if (row.etag) entry.etag = row.etag;
        if (row.last_modified) entry.lastModified = row.last_modified;
        return entry;
      },
      putResponse: (entry) => {
        this.db
          .prepare(
            `INSERT INTO http_cache (url, etag, last_modified, body, fetched_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
               body = excluded.body, fetched_at = excluded.fetched_at`,
          )
          .run(entry.url, entry.etag ?? null, entry.lastModified ?? null, entry.body, entry.fetchedAt);
      },
      getValue: (key) => this.getValue(key),
      putValue: (key, value) => {
        this.putValue(key, value, now());
      },
    };
  }
}

export interface ItemFilter {
  kind?: Item['kind'];
  source?: string;
  /** ISO 8601; compared with the item's start (events) or published time. */
  since?: string;
  until?: string;
  limit?: number;
}

function clampLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(50, Math.floor(limit ?? 10)));
}

function filterClause(filter: ItemFilter, prefix: string): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const when = `${prefix}item_at`;
  if (filter.kind) {
    parts.push(`${prefix}kind = ?`);
    params.push(filter.kind);
  }
  if (filter.source) {
    parts.push(`${prefix}source = ?`);
    params.push(filter.source);
  }
  if (filter.since) {
    parts.push(`${when} >= ?`);
    params.push(filter.since);
  }
  if (filter.until) {
    parts.push(`${when} < ?`);
    params.push(filter.until);
  }
  return { where: parts.join(' AND '), params };
}

/**
 * Hash of what a reader (or an embedder) would see; a change here means the item changed. `meta` is
 * left out on purpose: it holds counters (points, comments) that move on every refresh.
 */
export function contentHash(item: Item): string {
  const { id, title, snippet, body, url, start, end, author, category } = item;
  return createHash('sha256')
    .update(JSON.stringify([id, title, snippet, body, url, start, end, author, category]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Fault injection for the crash-safety test: with DAILY_BRIEF_FAULT=kill-at:<point>, the process
 * kills itself at that point, exactly as a power cut or `kill -9` would.
 */
function faultPoint(point: string): void {
  if (process.env.DAILY_BRIEF_FAULT === `kill-at:${point}`) process.kill(process.pid, 'SIGKILL');
}
