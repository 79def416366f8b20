import { accessSync, constants, existsSync, mkdirSync, readFileSync, statfsSync } from 'node:fs';
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
    const storage = options.readonly ? undefined : storageProblem(error, dataDir);
    if (storage) throw storage;
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
    const storage = storageProblem(error, dataDir);
    if (storage) throw storage;
    throw new AppError('db_damaged', `the database at ${path} cannot be read (${describeError(error)})`, {
      hint: 'Move the file aside to start afresh (your settings.json is kept), or restore it from a backup',
      cause: error,
    });
  }
  return db;
}

/** Below this, SQLite cannot even make its shared-memory file: the disk counts as full. */
const FULL_BELOW_BYTES = 256 * 1024;

/**
 * A failure that is the folder's or the disk's, not the database's: said as such, so that nobody moves a good
 * database aside. Undefined when the folder is writable and has room (then the error is something else).
 */
export function storageProblem(error: unknown, dataDir: string): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (access) {
    const why = (access as NodeJS.ErrnoException).code;
    if (why === 'EROFS' || why === 'EACCES' || why === 'EPERM') {
      return new AppError('data_readonly', `the data folder ${dataDir} is read-only, so nothing new can be saved`, {
        hint: 'Your briefs are intact. Make the folder writable (or remount it read-write), or pass --data-dir',
        cause: error,
      });
    }
  }
  let full = code === 'SQLITE_FULL' || code === 'ENOSPC';
  try {
    const fs = statfsSync(dataDir);
    full ||= fs.bavail * fs.bsize < FULL_BELOW_BYTES;
  } catch {
    // No statfs here: the error code alone decides.
  }
  if (!full) return undefined;
  return new AppError('disk_full', 'the disk is full, so the new brief could not be saved', {
    hint: 'The previous brief is still served. Free some space, then refresh again',
    cause: error,
  });
}

/**
 * The database as it is on disk, in memory, for reading when the folder cannot be written (read-only, full):
 * SQLite's WAL mode needs to create files even to read, which there it cannot.
 */
export function openSnapshot(dataDir: string): Db {
  const bytes = readFileSync(join(dataDir, DATABASE_FILE));
  // The header's WAL marks (file format versions 2): an in-memory copy cannot have a WAL, so it reads as rollback.
  if (bytes.length > 19 && bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
  const db = new Database(bytes);
  db.pragma('query_only = ON');
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
