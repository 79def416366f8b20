import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../database.ts';
import { BRIEF_ID, RUN_OK, columnNames, databaseAt, populate, rows, tableNames } from './fixtures.ts';

describe('migration 1: the foundation', () => {
  it('creates every table on an empty database, and takes the rows of a first release', () => {
    const db = databaseAt(0);
    expect(tableNames(db)).toEqual([]);
    const upgraded = databaseAt(1);
    expect(schemaVersion(upgraded)).toBe(1);
    expect(tableNames(upgraded)).toEqual([
      'briefs',
      'feedback_events',
      'http_cache',
      'items',
      'kv',
      'runs',
      'source_health',
      'sqlite_sequence',
    ]);
    expect(columnNames(upgraded, 'items')).toEqual([
      'id',
      'source',
      'kind',
      'json',
      'content_hash',
      'first_seen',
      'last_seen',
      'last_run_id',
    ]);
    populate(upgraded, 1);
    expect(rows(upgraded, 'items')).toHaveLength(5);
    expect(rows(upgraded, 'briefs', ['id', 'run_id'])).toEqual([{ id: BRIEF_ID, run_id: RUN_OK }]);
  });

  it('defaults a run to no sources, and keeps briefs tied to an existing run', () => {
    const db = databaseAt(1);
    db.prepare(
      `INSERT INTO runs (id, trigger, started_at, status) VALUES ('r', 'cli', '2026-12-01T06:00:00Z', 'running')`,
    ).run();
    expect(rows(db, 'runs', ['sources_json', 'finished_at', 'error'])).toEqual([
      { sources_json: '[]', finished_at: null, error: null },
    ]);
    expect(() =>
      db
        .prepare(
          `INSERT INTO briefs (id, run_id, brief_date, generated_at, json) VALUES ('b', 'no-run', 'd', 'g', '{}')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('makes the feedback log append-only, numbered in order', () => {
    const db = databaseAt(1);
    populate(db, 1);
    expect(rows(db, 'feedback_events', ['seq', 'action'])).toEqual([
      { seq: 1, action: 'up' },
      { seq: 2, action: 'mute' },
    ]);
    expect(() => db.prepare(`UPDATE feedback_events SET action = 'down'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM feedback_events').run()).toThrow(/append-only/);
    expect(rows(db, 'feedback_events')).toHaveLength(2);
  });
});
