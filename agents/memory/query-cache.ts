import { createHash } from 'node:crypto';
import type { Store } from '../../core/store/store.ts';

const PREFIX = 'memory:query:';
/** A query not asked for this long is forgotten (meeting titles recur weekly; a month covers a rhythm). */
const KEEP_DAYS = 30;
/** Whatever the age, at most this many (each is a few kB of JSON). */
const KEEP_MAX = 2000;
/** A hit refreshes its date at most this often, so repeated searches do not write every time. */
const TOUCH_MS = 86_400_000;

/**
 * Query embeddings, kept in the store's key-value table: the same meeting title or question asked again
 * (the next refresh, another process) is not sent to the embedding model again. Keyed by model and text.
 */
export class QueryEmbeddingCache {
  private readonly store: Store;
  private readonly now: () => number;

  constructor(store: Store, now: () => number) {
    this.store = store;
    this.now = now;
  }

  get(model: string, query: string): number[] | undefined {
    const key = keyOf(model, query);
    const row = this.store.db
      .prepare<[string], { value_json: string; updated_at: string }>(
        'SELECT value_json, updated_at FROM kv WHERE key = ?',
      )
      .get(key);
    if (!row) return undefined;
    const vector = JSON.parse(row.value_json) as unknown;
    if (!Array.isArray(vector) || !vector.length || !vector.every((v) => typeof v === 'number')) return undefined;
    if (this.now() - Date.parse(row.updated_at) > TOUCH_MS) this.put(model, query, vector);
    return vector;
  }

  put(model: string, query: string, vector: number[]): void {
    if (!vector.length) return;
    this.store.putValue(keyOf(model, query), vector, new Date(this.now()).toISOString());
  }

  /** Forgets queries unused for KEEP_DAYS, then the least recently used beyond KEEP_MAX; returns how many. */
  prune(): number {
    const db = this.store.db;
    const cutoff = new Date(this.now() - KEEP_DAYS * 86_400_000).toISOString();
    const pattern = `${PREFIX}%`;
    let removed = db.prepare('DELETE FROM kv WHERE key LIKE ? AND updated_at < ?').run(pattern, cutoff).changes;
    removed += db
      .prepare(
        `DELETE FROM kv WHERE key IN (
           SELECT key FROM kv WHERE key LIKE ? ORDER BY updated_at DESC LIMIT -1 OFFSET ?)`,
      )
      .run(pattern, KEEP_MAX).changes;
    return removed;
  }
}

function keyOf(model: string, query: string): string {
  return PREFIX + createHash('sha256').update(`${model}\n${query}`).digest('hex').slice(0, 32);
}
