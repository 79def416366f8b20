/**
 * The foundation. Shipped: never edit it; sqlite_master keeps each statement's text as written.
 */
export const description =
  'the foundation: items, runs, briefs, source health, HTTP cache, small values and the append-only feedback log';

export const sql = `
  CREATE TABLE items (
    id            TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    json          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    last_run_id   TEXT NOT NULL
  );
  CREATE INDEX items_source_run ON items (source, last_run_id);
  CREATE INDEX items_kind_seen ON items (kind, last_seen);

  CREATE TABLE runs (
    id           TEXT PRIMARY KEY,
    trigger      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL,          -- running | ok | failed
    sources_json TEXT NOT NULL DEFAULT '[]',
    fetch_ms     INTEGER,
    total_ms     INTEGER,
    error        TEXT
  );
  CREATE INDEX runs_started ON runs (started_at);

  CREATE TABLE briefs (
    id            TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES runs (id),
    brief_date    TEXT NOT NULL,
    generated_at  TEXT NOT NULL,
    json          TEXT NOT NULL
  );
  CREATE INDEX briefs_generated ON briefs (generated_at);
  CREATE INDEX briefs_date ON briefs (brief_date, generated_at);

  CREATE TABLE source_health (
    source           TEXT PRIMARY KEY,
    status           TEXT NOT NULL,
    item_count       INTEGER NOT NULL,
    last_run_at      TEXT NOT NULL,
    last_success_at  TEXT,
    last_ok_run_id   TEXT,
    last_error       TEXT,
    last_error_at    TEXT
  );

  CREATE TABLE http_cache (
    url            TEXT PRIMARY KEY,
    etag           TEXT,
    last_modified  TEXT,
    body           TEXT NOT NULL,
    fetched_at     TEXT NOT NULL
  );

  CREATE TABLE kv (
    key         TEXT PRIMARY KEY,
    value_json  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );

  -- Append-only: rows are inserted, never updated or deleted (undo is another event).
  CREATE TABLE feedback_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    item_id    TEXT NOT NULL,
    action     TEXT NOT NULL,
    snapshot   TEXT NOT NULL
  );
  CREATE TRIGGER feedback_events_no_update BEFORE UPDATE ON feedback_events
    BEGIN SELECT RAISE(ABORT, 'feedback_events is append-only'); END;
  CREATE TRIGGER feedback_events_no_delete BEFORE DELETE ON feedback_events
    BEGIN SELECT RAISE(ABORT, 'feedback_events is append-only'); END;
  `;
