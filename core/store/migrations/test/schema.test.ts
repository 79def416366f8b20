import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.ts';
import { migrate, schemaVersion, type Db } from '../../database.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../index.ts';
import { columnNames, databaseAt, expectRowsSurvive, populate, snapshotTables, tableNames } from './fixtures.ts';
import { MIGRATIONS as LEGACY } from './legacy-migrations.ts';

/** The runner as it was before migrations became files, over the frozen copy of the old array. */
function legacyDatabase(upTo: number): Db {
  const db = new Database(':memory:');
  for (let version = 0; version < upTo; version++) {
    db.transaction(() => {
      db.exec(LEGACY[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return db;
}

function master(db: Db): unknown[] {
  return db.prepare('SELECT * FROM sqlite_master ORDER BY rowid').all();
}

describe('migrations as files', () => {
  it('build a schema byte-identical to the old array, at every version', () => {
    expect(MIGRATIONS.length).toBe(LEGACY.length);
    for (let version = 1; version <= LEGACY.length; version++) {
      const old = legacyDatabase(version);
      const now = databaseAt(version);
      expect({ version, master: master(now) }).toEqual({ version, master: master(old) });
      expect(schemaVersion(now)).toBe(schemaVersion(old));
      old.close();
      now.close();
    }
  });

  it('are listed in the index in the order of their file numbers, one file per version, each described in one line', () => {
    const files = readdirSync(new URL('..', import.meta.url))
      .filter((f) => /^\d{3}-.+\.ts$/.test(f))
      .sort();
    expect(files.map((f) => Number(f.slice(0, 3)))).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(files.length);
    for (const m of MIGRATIONS) expect(m.description).toMatch(/^[^\n]{10,140}$/);
  });
});

describe('the migration runner', () => {
  it('refuses a database newer than the code with one line, and leaves it alone', () => {
    const db = databaseAt(SCHEMA_VERSION);
    populate(db, SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const before = snapshotTables(db);
    let caught: unknown;
    try {
      migrate(db);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe('db_newer');
    expect(error.message).toBe(`the database was written by a newer Daily Brief (schema ${SCHEMA_VERSION + 1})`);
    expect(error.hint).toBe('Update the app, or point --data-dir at another folder');
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1);
    expectRowsSurvive(before, db);
  });

  it('rolls back a migration that fails and leaves the previous version intact', () => {
    const db = databaseAt(SCHEMA_VERSION);
    populate(db, SCHEMA_VERSION);
    const before = snapshotTables(db);
    const broken = {
      description: 'a column, a table, then a statement that fails',
      sql: 'ALTER TABLE items ADD COLUMN extra TEXT; CREATE TABLE extra (a); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => {
      migrate(db, { migrations: [...MIGRATIONS, broken] });
    }).toThrow(/no such table: no_such_table/);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(columnNames(db, 'items')).not.toContain('extra');
    expect(tableNames(db)).not.toContain('extra');
    expectRowsSurvive(before, db);
    // Fixed, it runs.
    migrate(db, { migrations: [...MIGRATIONS, { ...broken, sql: 'ALTER TABLE items ADD COLUMN extra TEXT;' }] });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1);
  });

  it('keeps the migrations before the failing one of a multi-step upgrade, each in its own transaction', () => {
    const db = databaseAt(2);
    populate(db, 2);
    const broken = { description: 'fails', sql: 'CREATE TABLE half (a); SELECT no_such_function();' };
    expect(() => {
      migrate(db, { migrations: [...MIGRATIONS.slice(0, 4), broken] });
    }).toThrow(/no such function/);
    expect(schemaVersion(db)).toBe(4);
    expect(tableNames(db)).toContain('memory_index');
    expect(tableNames(db)).not.toContain('half');
    migrate(db);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  });
});
