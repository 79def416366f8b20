import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, describeError } from '../errors.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export const DATABASE_FILE = 'daily-brief.db';

export type Db = Database.Database;

/** Opens (creating if needed) the one database file in the data directory, in WAL mode, migrated. */
export function openDatabase(dataDir: string, options: { readonly?: boolean } = {}): Db {
  const path = join(dataDir, DATABASE_FILE);
  let db: Db;
  try {
    if (!options.readonly) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new AppError('db_open', `could not open the database at ${path}`, {
      hint: 'Check that the data directory exists and is writable, or pass --data-dir',
      cause: error,
    });
  }
  try {
    // First, so that a second process (the CLI while the app refreshes) waits instead of failing.
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    }
  } catch (error) {
    db.close();
    if (error instanceof AppError) throw error;
    throw new AppError('db_damaged', `the database at ${path} cannot be read (${describeError(error)})`, {
      hint: 'Move the file aside to start afresh (your settings.json is kept), or restore it from a backup',
      cause: error,
    });
  }
  return db;
}

export function databaseExists(dataDir: string): boolean {
  return existsSync(join(dataDir, DATABASE_FILE));
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export interface MigrateOptions {
  /** Stop at this version (tests build a database as an older release left it). Default: the latest. */
  to?: number;
  /** The list to run; only tests pass another one. */
  migrations?: readonly Migration[];
}

/**
 * Brings the schema up to date, one transaction per migration, each bumping `PRAGMA user_version`, so a
 * migration that fails leaves the database as the previous one left it. Write transactions are all
 * `BEGIN IMMEDIATE`: a deferred one that reads first gets SQLITE_BUSY at once instead of waiting.
 */
export function migrate(db: Db, options: MigrateOptions = {}): void {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = Math.min(options.to ?? migrations.length, migrations.length);
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new AppError('db_newer', `the database was written by a newer Daily Brief (schema ${current})`, {
      hint: 'Update the app, or point --data-dir at another folder',
    });
  }
  for (let version = current; version < target; version++) {
    const sql = migrations[version]?.sql ?? '';
    db.transaction(() => {
      // Another process opening the same new data dir may have run it while this one waited for the lock.
      if (schemaVersion(db) > version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
