import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { AppError, describeError } from '../../core/errors.ts';
import { unpackedPath } from '../../core/native-path.ts';
import type { MemoryMetadata, MemoryRecord, VectorFilter, VectorHit, VectorStore } from './types.ts';

type Db = Database.Database;

/** vec0 refuses larger k in a KNN query (sqlite-vec 0.1.x). */
const MAX_K = 4096;

/**
 * The memory's vectors in the app's own SQLite database, through the sqlite-vec extension (vec0): the fallback
 * when the bundled Chroma server cannot run. Kind, source and date are vec0 metadata columns, so filters run
 * inside the KNN scan and k filtered results come back without over-fetching.
 *
 * Tables are created on first use rather than in the numbered migrations: a vec0 table can only be created (or
 * even read) on a connection that has the extension loaded, and its width is only known at the first upsert.
 * The store does not own the connection: close() leaves it to the Store.
 */
export class SqliteVecStore implements VectorStore {
  readonly backend = 'sqlite-vec';
  private readonly db: Db;
  private ready = false;
  private dims: number | undefined;
  private closed = false;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(db: Db) {
    this.db = db;
    loadExtension(db);
  }

  get dimensions(): number | undefined {
    if (this.closed) return this.dims;
    this.ensureTables();
    return this.dims;
  }

  upsert(records: MemoryRecord[]): Promise<void> {
    return run(() => {
      this.ensureOpen();
      if (!records.length) return;
      this.ensureTables();
      const width = records[0]?.vector.length ?? 0;
      for (const record of records) this.checkDimensions(record.vector.length, `record ${record.id}`);
      if (records.some((r) => r.vector.length !== width)) {
        throw new AppError('memory_dimensions', 'the vectors in one memory batch have different dimensions', {
          hint: 'Embed every text of a batch with the same model',
        });
      }
      const firstBatch = this.dims === undefined;
      const write = this.db.transaction(() => {
        if (firstBatch) this.fixDimensions(width);
        const findRowid = this.statement<[string], { vec_rowid: number }>(
          'SELECT vec_rowid FROM memory_vector_ids WHERE id = ?',
        );
        const addId = this.statement('INSERT INTO memory_vector_ids (id, date) VALUES (?, ?)');
        const redate = this.statement('UPDATE memory_vector_ids SET date = ? WHERE vec_rowid = ?');
        // vec0 has no usable INSERT OR REPLACE, so an existing row is deleted and written again under its rowid.
        const remove = this.statement('DELETE FROM memory_vectors WHERE rowid = ?');
        const insert = this.statement(
          `INSERT INTO memory_vectors (rowid, embedding, kind, source, date, record_id, document, meta)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const record of records) {
          const date = dateColumn(record);
          const existing = findRowid.get(record.id);
          let rowid: bigint;
          if (existing) {
            rowid = BigInt(existing.vec_rowid);
            redate.run(date, rowid);
            remove.run(rowid);
          } else {
            rowid = BigInt(addId.run(record.id, date).lastInsertRowid);
          }
          const { kind, source } = record.metadata;
          // Integers go in as BigInt: better-sqlite3 binds a JS number as REAL, and vec0 rejects REAL for an
          // integer column (rowid, date).
          insert.run(
            rowid,
            vectorBlob(record.vector),
            kind,
            source,
            date,
            record.id,
            record.document,
            metaJson(record),
          );
        }
      });
      try {
        write.immediate();
      } catch (error) {
        // The rollback may have undone the vec0 table and the stored width: read the schema again next time.
        if (firstBatch) {
          this.ready = false;
          this.dims = undefined;
        }
        this.statements.clear();
        throw error;
      }
    });
  }

  query(vector: number[], k: number, filter: VectorFilter = {}): Promise<VectorHit[]> {
    return run(() => {
      this.ensureOpen();
      this.ensureTables();
      const limit = Math.min(MAX_K, Math.floor(k));
      if (this.dims === undefined || !(limit > 0)) return [];
      this.checkDimensions(vector.length, 'the query vector');
      const where = ['embedding MATCH ?', 'k = ?'];
      const params: unknown[] = [vectorBlob(vector), limit];
      // An empty list reads as "no kind filter", the same as leaving it out.
      if (filter.kinds?.length) {
        where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
        params.push(...filter.kinds);
      }
      if (filter.source !== undefined) {
        where.push('source = ?');
        params.push(filter.source);
      }
      // Dates are stored as whole milliseconds; rounding a bound up keeps `>=` and `<` exact for them.
      if (filter.since !== undefined && Number.isFinite(filter.since)) {
        where.push('date >= ?');
        params.push(BigInt(Math.ceil(filter.since)));
      }
      if (filter.until !== undefined && Number.isFinite(filter.until)) {
        where.push('date < ?');
        params.push(BigInt(Math.ceil(filter.until)));
      }
      // The record id sits in an auxiliary column so that the KNN query needs no join.
      const rows = this.statement<unknown[], { record_id: string; distance: number; document: string; meta: string }>(
        `SELECT record_id, distance, document, meta FROM memory_vectors WHERE ${where.join(' AND ')} ORDER BY distance`,
      ).all(...params);
      return rows.map((row) => ({
        id: row.record_id,
        score: 1 - row.distance,
        document: row.document,
        metadata: JSON.parse(row.meta) as MemoryMetadata,
      }));
    });
  }

  delete(ids: string[]): Promise<void> {
    return run(() => {
      this.ensureOpen();
      if (!ids.length) return;
      this.ensureTables();
      if (this.dims === undefined) return;
      const findRowid = this.statement<[string], { vec_rowid: number }>(
        'SELECT vec_rowid FROM memory_vector_ids WHERE id = ?',
      );
      const removeVector = this.statement('DELETE FROM memory_vectors WHERE rowid = ?');
      const removeId = this.statement('DELETE FROM memory_vector_ids WHERE vec_rowid = ?');
      this.db
        .transaction(() => {
          for (const id of ids) {
            const row = findRowid.get(id);
            if (!row) continue;
            removeVector.run(BigInt(row.vec_rowid));
            removeId.run(row.vec_rowid);
          }
        })
        .immediate();
    });
  }

  vectors(ids: string[]): Promise<Map<string, number[]>> {
    return run(() => {
      this.ensureOpen();
      const out = new Map<string, number[]>();
      if (!ids.length) return out;
      this.ensureTables();
      if (this.dims === undefined) return out;
      const select = this.statement<[string], { embedding: Buffer }>(
        `SELECT v.embedding FROM memory_vector_ids i JOIN memory_vectors v ON v.rowid = i.vec_rowid WHERE i.id = ?`,
      );
      for (const id of new Set(ids)) {
        const row = select.get(id);
        if (!row) continue;
        // vec0 hands float vectors back as little-endian float32 blobs.
        const floats = new Float32Array(row.embedding.buffer, row.embedding.byteOffset, row.embedding.byteLength / 4);
        out.set(id, Array.from(floats));
      }
      return out;
    });
  }

  // Count and the retention look-ups read the id table: it has an index on date, where a vec0 table would be
  // scanned chunk by chunk.

  count(): Promise<number> {
    return run(() => {
      this.ensureOpen();
      this.ensureTables();
      return this.statement<[], { n: number }>('SELECT count(*) AS n FROM memory_vector_ids').get()?.n ?? 0;
    });
  }

  idsOlderThan(cutoff: number): Promise<string[]> {
    return run(() => {
      this.ensureOpen();
      this.ensureTables();
      if (Number.isNaN(cutoff) || cutoff === -Infinity) return [];
      const select = 'SELECT id FROM memory_vector_ids WHERE date < ? ORDER BY date, id';
      // Whole-millisecond dates: `date < cutoff` is `date < ceil(cutoff)`.
      const bound = cutoff === Infinity ? BigInt(Number.MAX_SAFE_INTEGER) : BigInt(Math.ceil(cutoff));
      return this.statement<[bigint], { id: string }>(select)
        .all(bound)
        .map((row) => row.id);
    });
  }

  idsByAge(): Promise<string[]> {
    return run(() => {
      this.ensureOpen();
      this.ensureTables();
      return this.statement<[], { id: string }>('SELECT id FROM memory_vector_ids ORDER BY date, id')
        .all()
        .map((row) => row.id);
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.statements.clear();
    return Promise.resolve();
  }

  // ---- internals -------------------------------------------------------------------------

  private ensureOpen(): void {
    if (this.closed) {
      throw new AppError('memory_closed', 'the sqlite-vec memory store was used after it was closed', {
        hint: 'Open a new store on the database',
      });
    }
  }

  /** The id and settings tables; the vec0 table follows once the width is known. */
  private ensureTables(): void {
    if (this.ready) return;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS memory_vector_config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS memory_vector_ids (
        vec_rowid INTEGER PRIMARY KEY,
        id        TEXT NOT NULL UNIQUE,
        date      INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS memory_vector_ids_date ON memory_vector_ids (date);
    `);
    const row = this.db
      .prepare<[], { value: string }>(`SELECT value FROM memory_vector_config WHERE key = 'dimensions'`)
      .get();
    this.dims = row ? Number(row.value) : undefined;
    if (this.dims !== undefined) this.createVectorTable(this.dims);
    this.ready = true;
  }

  private fixDimensions(width: number): void {
    if (!Number.isInteger(width) || width < 1) {
      throw new AppError('memory_dimensions', `a memory vector cannot have ${width} dimensions`, {
        hint: 'Check the embedding model',
      });
    }
    this.db.prepare(`INSERT INTO memory_vector_config (key, value) VALUES ('dimensions', ?)`).run(String(width));
    this.createVectorTable(width);
    this.dims = width;
  }

  private createVectorTable(width: number): void {
    this.db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS memory_vectors USING vec0(
        embedding float[${width}] distance_metric=cosine,
        kind text,
        source text,
        date integer,
        +record_id text,
        +document text,
        +meta text
      );
    `);
  }

  private checkDimensions(width: number, what: string): void {
    if (this.dims !== undefined && width !== this.dims) {
      throw new AppError(
        'memory_dimensions',
        `${what} has ${width} dimensions but the memory in this database holds ${this.dims}-dimension vectors`,
        { hint: 'The embedding model changed: go back to the previous model, or clear the memory so it is rebuilt' },
      );
    }
  }

  private statement<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }
}

/** Loads sqlite-vec on this connection unless it already is (a second SqliteVecStore on the same Store). */
function loadExtension(db: Db): void {
  try {
    db.prepare('SELECT vec_version()').get();
    return;
  } catch {
    // Not loaded yet.
  }
  try {
    // Not sqliteVec.load(): in the packaged app its path is inside app.asar, where SQLite cannot dlopen it.
    db.loadExtension(unpackedPath(sqliteVec.getLoadablePath()));
  } catch (error) {
    throw new AppError('sqlite_vec_load', `could not load the sqlite-vec extension (${describeError(error)})`, {
      hint: 'Reinstall the dependencies (npm ci) so that the sqlite-vec build for this platform is present',
      cause: error,
    });
  }
}

/** The synchronous driver behind the async interface: a throw becomes a rejection, as callers of a Promise expect. */
function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function vectorBlob(vector: number[]): Buffer {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

function dateColumn(record: MemoryRecord): bigint {
  const { date } = record.metadata;
  if (!Number.isFinite(date)) {
    throw new AppError('memory_record', `memory record ${record.id} has no valid date`, {
      hint: 'Give every record a date in epoch milliseconds',
    });
  }
  return BigInt(Math.floor(date));
}

/** The whole metadata as given, so that it round-trips exactly (absent optional fields stay absent). */
function metaJson(record: MemoryRecord): string {
  return JSON.stringify(record.metadata);
}
