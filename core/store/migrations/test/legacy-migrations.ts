/**
 * Frozen copy of core/store/migrations.ts as it was at commit d4c2fce, before migrations became one file each.
 * The schema test checks that the files build a byte-identical schema. Never edit it.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the foundation
  `
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
  `,
  // 2: keyword search over items, for the reasoner's tools (and the fallback when embeddings are down)
  `
  -- Keyed by the items' rowid, so updating one item's entry is an index lookup, not a scan.
  CREATE VIRTUAL TABLE items_fts USING fts5(title, text, tokenize = 'porter unicode61');
  INSERT INTO items_fts (rowid, title, text)
    SELECT rowid, json_extract(json, '$.title'),
      coalesce(json_extract(json, '$.snippet'), '') || ' ' || coalesce(json_extract(json, '$.body'), '') || ' ' ||
      coalesce(json_extract(json, '$.author'), '') || ' ' || coalesce(json_extract(json, '$.origin'), '')
    FROM items;
  `,
  // 3: the run whose brief last committed an item. Items are stored as soon as they are fetched (the
  // reasoner reads them), but only a committed brief makes them the "last good" set for stale fallback.
  `
  ALTER TABLE items ADD COLUMN ok_run_id TEXT;
  UPDATE items SET ok_run_id = last_run_id;
  CREATE INDEX items_source_ok ON items (source, ok_run_id);
  `,
  // 4: what the memory holds, whatever the vector back end: one row per record, with the hash of the
  // embedded text (unchanged text is never embedded twice) and whether its vector is still owed.
  `
  CREATE TABLE memory_index (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    date          INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    document      TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    model         TEXT,
    state         TEXT NOT NULL,      -- embedded | pending
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX memory_index_state ON memory_index (state);
  CREATE INDEX memory_index_date ON memory_index (date);
  `,
  // 5: an item's own time (start, else published, else first seen) as a column, so date filters in
  // searches and listings use an index instead of parsing every row's JSON.
  `
  ALTER TABLE items ADD COLUMN item_at TEXT;
  UPDATE items SET item_at = coalesce(json_extract(json, '$.start'), json_extract(json, '$.publishedAt'), first_seen);
  CREATE INDEX items_kind_at ON items (kind, item_at);
  CREATE INDEX items_at ON items (item_at);
  `,
  // 6: what each brief was ranked from, so a vote can re-rank it at once without fetching: every candidate
  // item (muted ones too, so an unmute brings them back) with its baseline score and whether it was stale.
  `
  CREATE TABLE brief_candidates (
    brief_id  TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    base      REAL NOT NULL,
    stale     INTEGER NOT NULL,
    PRIMARY KEY (brief_id, item_id)
  ) WITHOUT ROWID;
  `,
  // 7: the vectors the latest brief was ranked with (its candidates and the voted items), so a vote can
  // re-rank by meaning at once without opening the memory. Replaced with each brief; never more than that.
  `
  CREATE TABLE rank_vectors (
    item_id  TEXT PRIMARY KEY,
    vector   BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  // 8: a brief as it was written, kept when a vote re-ranks it, so every re-rank starts from the original
  // (a mute then an unmute gives back the model's bullets; scores never stack).
  `
  ALTER TABLE briefs ADD COLUMN original_json TEXT;
  `,
];
