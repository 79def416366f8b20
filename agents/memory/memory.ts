import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../../core/store/store.ts';
import type { Brief, Item } from '../../core/types.ts';
import {
  briefDocuments,
  feedbackDocument,
  documentHash,
  itemDocument,
  toRecord,
  type MemoryDocument,
} from './documents.ts';
import { EMBED_BATCH, type Embedder } from './embeddings.ts';
import { QueryEmbeddingCache } from './query-cache.ts';
import type { MemoryKind, MemoryMetadata, VectorFilter, VectorStore } from './types.ts';

const FEEDBACK_MARK = 'memory:feedback-seq';

export interface MemoryOptions {
  store: Store;
  /** Absent when no vector back end could be opened: keyword search still works. */
  vectors: VectorStore | undefined;
  /** Absent when the embedding model is not available: new text waits as "pending". */
  embedder: Embedder | undefined;
  log: Logger;
  timezone: string;
  retentionDays: number;
  maxItems: number;
  now: () => number;
  /** Extra clean-up, e.g. stopping a Chroma server this memory started. */
  onClose?: () => Promise<void>;
}

export interface IngestReport {
  /** Texts sent to the embedder. */
  embedded: number;
  /** Unchanged since they were last embedded. */
  unchanged: number;
  /** Waiting for the embedding model to come back. */
  pending: number;
}

export interface SearchFilter {
  kinds?: MemoryKind[];
  source?: string;
  since?: number;
  until?: number;
  limit?: number;
}

export interface MemoryHit {
  id: string;
  itemId: string;
  kind: MemoryKind;
  title: string;
  url?: string;
  /** Where a stored item came from, as people say it: the sender of a mail, else the feed or calendar. */
  from?: string;
  /** A stored item's own snippet (plain text). */
  snippet?: string;
  document: string;
  date: number;
  /** Reciprocal-rank fusion of the two lists; only the order means anything. */
  score: number;
  via: 'semantic' | 'keyword' | 'both';
}

interface IndexRow {
  id: string;
  content_hash: string;
  model: string | null;
  state: string;
  document: string;
  metadata: string;
}

const RRF_K = 60;
/** Vectors written to the store per call. */
const WRITE_BATCH = 480;
const DAY_MS = 86_400_000;

/**
 * The RAG memory: what the app has seen, embedded once per distinct text, searchable by meaning
 * and by keyword. Every failure of the embedder or the vector store degrades to keyword search;
 * nothing here can fail a refresh.
 */
export class Memory {
  private readonly o: MemoryOptions;
  private readonly queries: QueryEmbeddingCache;

  constructor(options: MemoryOptions) {
    this.o = options;
    this.queries = new QueryEmbeddingCache(options.store, options.now);
  }

  get backend(): VectorStore['backend'] | 'keyword-only' {
    return this.o.vectors?.backend ?? 'keyword-only';
  }

  /**
   * Remembers items; only new or changed text is embedded, and anything owed from before is made now.
   * What retention would drop at the end of this run is left out: a feed that keeps old posts would
   * otherwise have them embedded, pruned and embedded again on every refresh.
   */
  async ingest(items: Item[], signal: AbortSignal): Promise<IngestReport> {
    const now = this.o.now();
    const floor = this.retainedFrom(now);
    const docs = items.flatMap((item) => itemDocument(item, this.o.timezone, now) ?? []);
    return this.remember(
      docs.filter((doc) => doc.metadata.date >= floor),
      signal,
    );
  }

  /**
   * The oldest date retain() would keep: the retention cutoff, or, with the index full, the date of the
   * newest record beyond the count limit (anything older would be the first to go).
   */
  private retainedFrom(now: number): number {
    const cutoff = now - this.o.retentionDays * DAY_MS;
    const db = this.o.store.db;
    const full = db
      .prepare<[number, number], { date: number }>(
        'SELECT date FROM memory_index WHERE date >= ? ORDER BY date DESC LIMIT 1 OFFSET ?',
      )
      .get(cutoff, this.o.maxItems - 1);
    return full ? Math.max(cutoff, full.date) : cutoff;
  }

  async rememberBrief(brief: Brief, signal: AbortSignal): Promise<IngestReport> {
    return this.remember(briefDocuments(brief), signal);
  }

  /** Stored vectors by item id (for similarity between items); empty without a vector back end. */
  async vectorsFor(ids: string[]): Promise<Map<string, number[]>> {
    const store = this.o.vectors;
    if (!store || !ids.length) return new Map();
    try {
      return await store.vectors(ids);
    } catch (error) {
      this.o.log.warn({ reason: describeError(error) }, 'item vectors unavailable; similarity by terms');
      return new Map();
    }
  }

  /** Feedback events not yet remembered (a mark in the store says how far it got). */
  async rememberFeedback(signal: AbortSignal): Promise<IngestReport> {
    const mark = Number(this.o.store.getValue(FEEDBACK_MARK) ?? 0);
    const events = this.o.store.feedback.events(mark);
    if (!events.length) return { embedded: 0, unchanged: 0, pending: 0 };
    const report = await this.remember(
      events.map((e) => feedbackDocument(e, this.o.timezone)),
      signal,
    );
    // Marked once indexed: a vector still owed is made by a later run, like any other pending record.
    this.o.store.putValue(FEEDBACK_MARK, events.at(-1)?.seq ?? mark, new Date(this.o.now()).toISOString());
    return report;
  }

  private async remember(docs: MemoryDocument[], signal: AbortSignal): Promise<IngestReport> {
    const model = this.o.embedder?.model ?? 'none';
    const select = this.o.store.db.prepare<[string], IndexRow>('SELECT * FROM memory_index WHERE id = ?');
    const changed: MemoryDocument[] = [];
    let unchanged = 0;
    for (const doc of docs) {
      const row = select.get(doc.id);
      const hash = documentHash(doc, model);
      if (row && row.content_hash === hash && row.state === 'embedded') unchanged++;
      else changed.push(doc);
    }
    this.markPending(changed, model);
    const owed = this.pendingDocuments(this.retainedFrom(this.o.now()));
    const embedded = await this.embedOwed(owed, model, signal);
    return { embedded, unchanged, pending: owed.length - embedded };
  }

  private markPending(docs: MemoryDocument[], model: string): void {
    const upsert = this.o.store.db.prepare(
      `INSERT INTO memory_index (id, kind, date, content_hash, document, metadata, model, state, updated_at)
       VALUES (@id, @kind, @date, @hash, @document, @metadata, @model, 'pending', @at)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, date = excluded.date, content_hash = excluded.content_hash,
         document = excluded.document, metadata = excluded.metadata, model = excluded.model, state = 'pending',
         updated_at = excluded.updated_at`,
    );
    const at = new Date(this.o.now()).toISOString();
    this.o.store.db
      .transaction(() => {
        for (const doc of docs) {
          upsert.run({
            id: doc.id,
            kind: doc.metadata.kind,
            date: doc.metadata.date,
            hash: documentHash(doc, model),
            document: doc.document,
            metadata: JSON.stringify(doc.metadata),
            model,
            at,
          });
        }
      })
      .immediate();
  }

  /** Owed vectors, newest first; one that retention is about to drop is not worth making. */
  private pendingDocuments(floor: number): MemoryDocument[] {
    return this.o.store.db
      .prepare<[number], IndexRow>(
        `SELECT * FROM memory_index WHERE state = 'pending' AND date >= ? ORDER BY date DESC`,
      )
      .all(floor)
      .map((row) => ({ id: row.id, document: row.document, metadata: JSON.parse(row.metadata) as MemoryMetadata }));
  }

  /** Embeds in batches; stops at the first failure and leaves the rest pending for the next run. */
  /**
   * Embeds in batches of EMBED_BATCH and writes vectors in larger groups (each write is a round trip
   * to Chroma). Stops at the first failure; whatever was not written stays pending for the next run.
   */
  private async embedOwed(docs: MemoryDocument[], model: string, signal: AbortSignal): Promise<number> {
    const { embedder, vectors } = this.o;
    if (!embedder || !vectors || !docs.length) return 0;
    const done = this.o.store.db.prepare(
      `UPDATE memory_index SET state = 'embedded', model = ?, content_hash = ?, updated_at = ? WHERE id = ?`,
    );
    let count = 0;
    let ready: { doc: MemoryDocument; vector: number[] }[] = [];
    const flush = async (): Promise<void> => {
      if (!ready.length) return;
      await vectors.upsert(ready.map((r) => toRecord(r.doc, r.vector)));
      const at = new Date(this.o.now()).toISOString();
      const written = ready;
      this.o.store.db
        .transaction(() => {
          for (const { doc } of written) done.run(model, documentHash(doc, model), at, doc.id);
        })
        .immediate();
      count += written.length;
      ready = [];
    };
    try {
      for (let i = 0; i < docs.length; i += EMBED_BATCH) {
        const batch = docs.slice(i, i + EMBED_BATCH);
        const out = await embedder.embedDocuments(
          batch.map((d) => d.document),
          signal,
        );
        batch.forEach((doc, j) => ready.push({ doc, vector: out[j] ?? [] }));
        if (ready.length >= WRITE_BATCH) await flush();
      }
      await flush();
    } catch (error) {
      this.o.log.warn(
        { embedded: count, pending: docs.length - count, reason: describeError(error) },
        'embedding stopped; the rest stays pending',
      );
      try {
        await flush();
      } catch {
        // The vector store itself failed: those records stay pending too.
      }
    }
    return count;
  }

  /**
   * Semantic search (with metadata filters) merged with keyword matches for exact names, by
   * reciprocal-rank fusion, de-duplicated by item. Without embeddings, keyword search alone.
   */
  async search(query: string, filter: SearchFilter, signal: AbortSignal): Promise<MemoryHit[]> {
    const limit = Math.max(1, Math.min(50, filter.limit ?? 10));
    const fused = new Map<string, MemoryHit>();
    const add = (hit: Omit<MemoryHit, 'score' | 'via'>, rank: number, via: 'semantic' | 'keyword'): void => {
      const existing = fused.get(hit.itemId);
      const score = 1 / (RRF_K + rank + 1);
      if (existing) {
        existing.score += score;
        if (existing.via !== via) existing.via = 'both';
      } else fused.set(hit.itemId, { ...hit, score, via });
    };

    // The keyword half is synchronous (SQLite): it runs while the embedding and the vector query are in flight,
    // once they have been sent (a turn of the event loop), rather than after them.
    const pending = this.semantic(query, filter, limit * 2, signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const keyword = this.keyword(query, filter, limit * 2);
    const semantic = await pending;
    semantic.forEach((hit, rank) => {
      add(hit, rank, 'semantic');
    });
    keyword.forEach((item, rank) => {
      add(itemHit(item, this.o.now()), rank, 'keyword');
    });
    return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  private keyword(query: string, filter: SearchFilter, limit: number): Item[] {
    const kind = filter.kinds?.length === 1 ? filter.kinds[0] : undefined;
    const found = this.o.store.searchItems(query, {
      ...(kind && kind !== 'action' && kind !== 'brief' && kind !== 'feedback' ? { kind } : {}),
      ...(filter.source ? { source: filter.source } : {}),
      ...(filter.since !== undefined ? { since: new Date(filter.since).toISOString() } : {}),
      ...(filter.until !== undefined ? { until: new Date(filter.until).toISOString() } : {}),
      limit,
    });
    return found.filter((item) => !filter.kinds?.length || filter.kinds.includes(item.kind));
  }

  private async semantic(query: string, filter: SearchFilter, k: number, signal: AbortSignal) {
    const { embedder, vectors } = this.o;
    if (!embedder || !vectors) return [];
    try {
      let vector = this.queries.get(embedder.model, query);
      if (!vector) {
        vector = await embedder.embedQuery(query, signal);
        this.queries.put(embedder.model, query, vector);
      }
      const vf: VectorFilter = {};
      if (filter.kinds?.length) vf.kinds = filter.kinds;
      if (filter.source) vf.source = filter.source;
      if (filter.since !== undefined) vf.since = filter.since;
      if (filter.until !== undefined) vf.until = filter.until;
      const hits = await vectors.query(vector, k, vf);
      return hits.map((hit) => {
        const item = this.o.store.getItem(hit.metadata.itemId);
        const base = item ? itemHit(item, hit.metadata.date) : undefined;
        return {
          id: hit.id,
          itemId: hit.metadata.itemId,
          kind: hit.metadata.kind,
          title: base?.title ?? hit.document.split('\n')[0] ?? hit.id,
          ...(base?.url ? { url: base.url } : {}),
          ...(base?.from ? { from: base.from } : {}),
          ...(base?.snippet ? { snippet: base.snippet } : {}),
          document: hit.document,
          date: hit.metadata.date,
        };
      });
    } catch (error) {
      this.o.log.warn({ reason: describeError(error) }, 'semantic search unavailable; keyword search only');
      return [];
    }
  }

  /** Drops what is older than the retention period, then the oldest beyond the count limit. */
  async retain(): Promise<number> {
    this.queries.prune();
    const cutoff = this.o.now() - this.o.retentionDays * DAY_MS;
    const db = this.o.store.db;
    const old = db
      .prepare<[number], { id: string }>('SELECT id FROM memory_index WHERE date < ?')
      .all(cutoff)
      .map((r) => r.id);
    const total = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM memory_index').get()?.n ?? 0;
    const excess = Math.max(0, total - old.length - this.o.maxItems);
    const extra = excess
      ? db
          .prepare<[number, number], { id: string }>(
            'SELECT id FROM memory_index WHERE date >= ? ORDER BY date ASC LIMIT ?',
          )
          .all(cutoff, excess)
          .map((r) => r.id)
      : [];
    const drop = [...old, ...extra];
    if (!drop.length) return 0;
    try {
      await this.o.vectors?.delete(drop);
    } catch (error) {
      this.o.log.warn({ reason: describeError(error) }, 'could not prune the vector store; will retry');
      return 0;
    }
    const remove = db.prepare('DELETE FROM memory_index WHERE id = ?');
    db.transaction(() => {
      for (const id of drop) remove.run(id);
    }).immediate();
    return drop.length;
  }

  async close(): Promise<void> {
    try {
      await this.o.vectors?.close();
    } finally {
      await this.o.onClose?.();
    }
  }
}

function itemHit(item: Item, fallbackDate: number): Omit<MemoryHit, 'score' | 'via'> {
  const date = Date.parse(item.start ?? item.publishedAt ?? '');
  const from = item.kind === 'email' ? (item.author ?? item.origin) : item.origin;
  return {
    id: item.id,
    itemId: item.id,
    kind: item.kind,
    title: item.title,
    ...(item.url ? { url: item.url } : {}),
    ...(from ? { from } : {}),
    ...(item.snippet ? { snippet: item.snippet } : {}),
    document: [item.title, item.snippet].filter(Boolean).join('\n'),
    date: Number.isNaN(date) ? fallbackDate : date,
  };
}
