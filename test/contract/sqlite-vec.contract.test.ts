import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteVecStore } from '../../agents/memory/sqlite-vec-store.ts';
import type { MemoryRecord } from '../../agents/memory/types.ts';
import { AppError } from '../../core/errors.ts';
import { DATABASE_FILE } from '../../core/store/database.ts';
import { Store } from '../../core/store/store.ts';
import { runVectorStoreContract, unitVector } from './vector-store.contract.ts';

const dirs: string[] = [];
const stores: Store[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'db-sqlite-vec-'));
  dirs.push(dir);
  return dir;
}

function openStore(dir: string): Store {
  const store = Store.open(dir);
  stores.push(store);
  return store;
}

function closeStores(): void {
  for (const store of stores.splice(0)) store.close();
}

afterEach(() => {
  closeStores();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(id: string, vector: number[]): MemoryRecord {
  return { id, vector, document: `document ${id}`, metadata: { kind: 'news', source: 'rss', date: 1_000, itemId: id } };
}

let lastDir = '';

runVectorStoreContract(
  'sqlite-vec',
  () => {
    lastDir = tempDir();
    return Promise.resolve(new SqliteVecStore(openStore(lastDir).db));
  },
  {
    // A real reopen: the first connection is closed, and a new one reads the database file.
    persistent: () => {
      closeStores();
      return Promise.resolve(new SqliteVecStore(openStore(lastDir).db));
    },
  },
);

describe('SqliteVecStore', () => {
  it('keeps its vectors in the app database file, beside the other tables', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const vectors = new SqliteVecStore(store.db);
    await vectors.upsert([record('a', unitVector(1, 8)), record('b', unitVector(2, 8))]);
    closeStores();

    const files = readdirSync(dir).filter((name) => !name.startsWith(DATABASE_FILE));
    expect(files).toEqual([]);
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      sqliteVec.load(db);
      const tables = db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((row) => row.name);
      expect(tables).toEqual(expect.arrayContaining(['items', 'briefs', 'memory_vectors', 'memory_vector_ids']));
      expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM memory_vectors').get()?.n).toBe(2);
    } finally {
      db.close();
    }
  });

  it('fixes the dimensions at the first upsert and refuses others with a clear error, even after a reopen', async () => {
    const dir = tempDir();
    const vectors = new SqliteVecStore(openStore(dir).db);
    expect(vectors.dimensions).toBeUndefined();
    await vectors.upsert([record('a', unitVector(1, 8))]);
    expect(vectors.dimensions).toBe(8);

    const wrong = vectors.upsert([record('b', unitVector(2, 16))]);
    await expect(wrong).rejects.toBeInstanceOf(AppError);
    await expect(wrong).rejects.toMatchObject({ code: 'memory_dimensions' });
    await expect(wrong).rejects.toThrow(/16 dimensions .* 8-dimension vectors/);
    await expect(vectors.query(unitVector(3, 4), 5)).rejects.toMatchObject({ code: 'memory_dimensions' });
    expect(await vectors.count()).toBe(1);

    closeStores();
    const reopened = new SqliteVecStore(openStore(dir).db);
    expect(reopened.dimensions).toBe(8);
    await expect(reopened.upsert([record('c', unitVector(4, 16))])).rejects.toMatchObject({
      code: 'memory_dimensions',
    });
    await reopened.upsert([record('c', unitVector(4, 8))]);
    expect(await reopened.count()).toBe(2);
  });

  it('refuses a batch of mixed dimensions without writing any of it', async () => {
    const vectors = new SqliteVecStore(openStore(tempDir()).db);
    await expect(vectors.upsert([record('a', unitVector(1, 8)), record('b', unitVector(2, 9))])).rejects.toMatchObject({
      code: 'memory_dimensions',
    });
    expect(vectors.dimensions).toBeUndefined();
    expect(await vectors.count()).toBe(0);
    await vectors.upsert([record('a', unitVector(1, 9))]);
    expect(vectors.dimensions).toBe(9);
  });

  it('shares one connection with a second store on it', async () => {
    const store = openStore(tempDir());
    const first = new SqliteVecStore(store.db);
    await first.upsert([record('a', unitVector(1, 8))]);
    const second = new SqliteVecStore(store.db);
    expect(await second.count()).toBe(1);
    expect((await second.query(unitVector(1, 8), 1))[0]?.id).toBe('a');
  });

  it('turns a failure to load the extension into one AppError line', () => {
    const store = openStore(tempDir());
    store.close();
    let failure: unknown;
    try {
      void new SqliteVecStore(store.db).close();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'sqlite_vec_load' });
    expect((failure as AppError).oneLine()).toMatch(/^could not load the sqlite-vec extension \([^\n]+\)\. Reinstall/);
  });
});
