import { ChromaClient, type Collection, type Metadata, type QueryResult } from 'chromadb';
import { AppError } from '../../core/errors.ts';
import { checkHeartbeat, guarded, parseTarget, type Target } from './chroma-call.ts';
import { chromaId, parseChromaId, RECORD_ID_KEY, type ChromaKey } from './chroma-ids.ts';
import { fromChroma, passesFilter, toChroma, toWhere } from './chroma-metadata.ts';
import { moveOldRecords, type Call } from './chroma-migrate.ts';
import type { MemoryKind, MemoryMetadata, MemoryRecord, VectorFilter, VectorHit, VectorStore } from './types.ts';

/**
 * The memory's vectors in a Chroma server (the user's, or the one ChromaSupervisor runs), in cosine collections: one
 * per kind (`<name>-email-v3`, `<name>-news-v3`, …), because Chroma's metadata filters are slow (a `where` on kind
 * made a k=10 query go from ~6 ms to ~35 ms on 20k records) and every search the memory makes is by kind. Date and
 * source are filtered here, from the ids (chroma-ids.ts). The collection `<name>` itself is kept, empty, as the
 * store's name on the server; records older versions wrote are moved on opening (chroma-migrate.ts).
 */

export const DEFAULT_CHROMA_COLLECTION = 'daily-brief-items';
const KINDS: readonly MemoryKind[] = ['email', 'event', 'news', 'weather', 'action', 'brief', 'feedback'];
/** Nearest ids fetched, without metadata, before filtering by date and source here (see filtered()). */
const FIRST_FETCH = 1000;
/** Past this many, Chroma's own filter is the cheaper way (ids alone cost ~6 µs each, its filter ~60–100 ms). */
const MAX_FETCH = 8000;
/** Records per upsert or delete call: well under the server's max batch size (5461 for chroma 1.x). */
const BATCH = 500;
/** Records per get() page when listing ids. */
const PAGE = 2000;
const DEFAULT_TIMEOUT_MS = 30_000;

export interface OpenChromaStoreOptions {
  /** The server, e.g. http://127.0.0.1:8000. */
  url: string;
  collection?: string;
  /** Cancels the opening (heartbeat and collection set-up). */
  signal?: AbortSignal;
  /** Time limit for each call to the server. Default 30 s. */
  timeoutMs?: number;
}

/** A hit as found: its Chroma id and what that id tells, and its text and metadata once read. */
interface Candidate extends ChromaKey {
  cid: string;
  kind: MemoryKind;
  score: number;
  full?: { document: string; metadata: MemoryMetadata };
}

/** Checks the heartbeat first, so that an unreachable server is one line rather than a client stack. */
export async function openChromaStore(options: OpenChromaStoreOptions): Promise<ChromaVectorStore> {
  const target = parseTarget(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await checkHeartbeat(target, options.signal);
  const client = new ChromaClient({ host: target.host, port: target.port, ssl: target.ssl });
  const name = options.collection ?? DEFAULT_CHROMA_COLLECTION;
  const call: Call = (what, run) => guarded(target, what, timeoutMs, options.signal, run);
  const open = async (collectionName: string): Promise<Collection> => {
    const collection = await call('open the collection', () =>
      client.getOrCreateCollection({
        name: collectionName,
        configuration: { hnsw: { space: 'cosine' } },
        embeddingFunction: null,
      }),
    );
    const space = collection.configuration.hnsw?.space;
    if (space && space !== 'cosine') {
      throw new AppError(
        'chroma_space',
        `the Chroma collection "${collectionName}" uses the ${space} space, not cosine`,
        {
          hint: 'Delete the collection, or name another one',
        },
      );
    }
    return collection;
  };
  const [base, ...parts] = await Promise.all([name, ...KINDS.map((kind) => kindCollection(name, kind))].map(open));
  if (!base) throw new Error('unreachable: no base collection');
  const collections = new Map(KINDS.map((kind, i) => [kind, parts[i] as Collection]));
  const firsts = await Promise.all(
    parts.map((part) => call('read the collection', () => part.get({ limit: 1, include: ['embeddings'] }))),
  );
  const dimensions = firsts.map((first) => first.embeddings[0]?.length).find((width) => width !== undefined);
  const store = new ChromaVectorStore(base.name, collections, target, timeoutMs, dimensions);
  await moveOldRecords(client, base, KINDS, (records) => store.upsert(records), call);
  return store;
}

/** The collection of one kind; `-v3` marks the layout with dated ids (chroma-ids.ts). */
export function kindCollection(name: string, kind: MemoryKind): string {
  return `${name}-${kind}-v3`;
}

export class ChromaVectorStore implements VectorStore {
  readonly backend = 'chroma';
  readonly collectionName: string;
  private readonly collections: Map<MemoryKind, Collection>;
  private readonly target: Target;
  private readonly timeoutMs: number;
  private dims: number | undefined;
  private closed = false;

  constructor(
    collectionName: string,
    collections: Map<MemoryKind, Collection>,
    target: Target,
    timeoutMs: number,
    dimensions: number | undefined,
  ) {
    this.collectionName = collectionName;
    this.collections = collections;
    this.target = target;
    this.timeoutMs = timeoutMs;
    this.dims = dimensions;
  }

  get dimensions(): number | undefined {
    return this.dims;
  }

  async upsert(records: MemoryRecord[]): Promise<void> {
    this.ensureOpen();
    // Chroma refuses a batch with a repeated id; the last one wins, as a second upsert would.
    const unique = [...new Map(records.map((record) => [record.id, record])).values()];
    const width = unique[0]?.vector.length;
    if (width === undefined) return;
    if (unique.some((record) => record.vector.length !== width)) {
      throw new AppError('memory_dimensions', 'the vectors in one memory batch have different dimensions', {
        hint: 'Embed every text of a batch with the same model',
      });
    }
    this.checkDimensions(width, `record ${unique[0]?.id ?? ''}`);
    const unknown = unique.find((record) => !this.collections.has(record.metadata.kind));
    if (unknown) {
      throw new AppError(
        'memory_record',
        `memory record ${unknown.id} has an unknown kind "${unknown.metadata.kind}"`,
        {
          hint: `Give every record one of the kinds ${KINDS.join(', ')}`,
        },
      );
    }
    const metadatas = unique.map(toChroma);
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH).map((record, i) => ({
        record,
        cid: chromaId(record),
        metadata: metadatas[start + i],
      }));
      // Where the records are now: a changed date, source or kind means a new Chroma id, and the old one must go.
      const before = await this.find(batch.map(({ record }) => record.id));
      await Promise.all(
        [...this.collections].map(([kind, collection]) => {
          const mine = batch.filter(({ record }) => record.metadata.kind === kind);
          if (!mine.length) return Promise.resolve();
          return this.call('store vectors', () =>
            collection.upsert({
              ids: mine.map(({ cid }) => cid),
              embeddings: mine.map(({ record }) => record.vector),
              metadatas: mine.map(({ metadata }) => metadata as Metadata),
              documents: mine.map(({ record }) => record.document),
            }),
          );
        }),
      );
      // Written before the old ones are deleted: an interrupted write leaves a duplicate for the next one to clear,
      // never a gap.
      await this.remove(before, new Set(batch.map(({ record, cid }) => `${record.metadata.kind}\n${cid}`)));
      this.dims ??= width;
    }
  }

  async query(vector: number[], k: number, filter: VectorFilter = {}): Promise<VectorHit[]> {
    this.ensureOpen();
    const limit = Math.floor(k);
    if (!(limit > 0)) return [];
    this.checkDimensions(vector.length, 'the query vector');
    const kinds = filter.kinds?.length ? KINDS.filter((kind) => filter.kinds?.includes(kind)) : KINDS;
    // The kind is the collection: what is left to filter is the source and the dates.
    const rest: VectorFilter = { ...filter };
    delete rest.kinds;
    const found = await Promise.all(
      kinds.map((kind) =>
        toWhere(rest) ? this.filtered(kind, vector, limit, rest) : this.nearest(kind, vector, limit),
      ),
    );
    // The best of each record (two only after an interrupted write), then the best records.
    const best = new Map<string, Candidate>();
    for (const hit of found.flat()) {
      const seen = best.get(hit.id);
      if (!seen || hit.score > seen.score) best.set(hit.id, hit);
    }
    const top = [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
    return this.complete(top);
  }

  /** Unfiltered: the nearest `limit`, with their documents and metadata, in one call. */
  private async nearest(kind: MemoryKind, vector: number[], limit: number): Promise<Candidate[]> {
    const result = await this.call('search', () =>
      this.collection(kind).query({
        queryEmbeddings: [vector],
        nResults: limit,
        include: ['documents', 'metadatas', 'distances'],
      }),
    );
    return candidates(kind, result, true);
  }

  /**
   * The nearest `limit` of one kind that pass the source and date filter, as an exact filtered search would find
   * them: the nearest ids are fetched without a filter and filtered here by the date and source in their ids (see
   * chroma-ids.ts); when fewer than `limit` pass, once more with as many as the share that passed says are needed;
   * and when that is still too few, or too many to fetch, Chroma filters (slow, but exact).
   */
  private async filtered(kind: MemoryKind, vector: number[], limit: number, rest: VectorFilter): Promise<Candidate[]> {
    let fetch = Math.max(FIRST_FETCH, limit * 20);
    for (let round = 0; round < 2 && fetch <= MAX_FETCH; round++) {
      const wanted = fetch;
      const result = await this.call('search', () =>
        this.collection(kind).query({ queryEmbeddings: [vector], nResults: wanted, include: ['distances'] }),
      );
      const near = candidates(kind, result, false);
      const passed = near.filter((hit) => passesFilter(hit, rest));
      // Fewer than asked for came back: that is the whole collection, and the answer is exact.
      if (passed.length >= limit || (result.ids[0]?.length ?? 0) < wanted) return passed.slice(0, limit);
      if (!passed.length) break;
      fetch = Math.ceil(((wanted * limit) / passed.length) * 1.5);
    }
    const where = toWhere(rest);
    const result = await this.call('search', () =>
      this.collection(kind).query({
        queryEmbeddings: [vector],
        nResults: limit,
        include: ['documents', 'metadatas', 'distances'],
        ...(where ? { where } : {}),
      }),
    );
    return candidates(kind, result, true);
  }

  /** Documents and metadata for the hits that came without them, from their kinds' collections at once. */
  private async complete(hits: Candidate[]): Promise<VectorHit[]> {
    const read = new Map<string, { document: string; metadata: MemoryMetadata }>();
    const wanted = new Map<MemoryKind, string[]>();
    for (const hit of hits) if (!hit.full) wanted.set(hit.kind, [...(wanted.get(hit.kind) ?? []), hit.cid]);
    await Promise.all(
      [...wanted].map(async ([kind, ids]) => {
        const rows = await this.call('search', () =>
          this.collection(kind).get({ ids, include: ['documents', 'metadatas'] }),
        );
        rows.ids.forEach((cid, i) => {
          read.set(cid, { document: rows.documents[i] ?? '', metadata: fromChroma(rows.metadatas[i] ?? null) });
        });
      }),
    );
    // A hit deleted since the search is left out.
    return hits.flatMap((hit) => {
      const text = hit.full ?? read.get(hit.cid);
      return text ? [{ id: hit.id, score: hit.score, document: text.document, metadata: text.metadata }] : [];
    });
  }

  async delete(ids: string[]): Promise<void> {
    this.ensureOpen();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += BATCH) {
      await this.remove(await this.find(unique.slice(start, start + BATCH)), new Set());
    }
  }

  async vectors(ids: string[]): Promise<Map<string, number[]>> {
    this.ensureOpen();
    const out = new Map<string, number[]>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      await Promise.all(
        [...this.collections.values()].map(async (collection) => {
          const rows = await this.call('read vectors', () =>
            collection.get({ where: { [RECORD_ID_KEY]: { $in: batch } }, include: ['embeddings'] }),
          );
          rows.ids.forEach((cid, i) => {
            const key = parseChromaId(cid);
            const vector = rows.embeddings[i];
            if (key && vector) out.set(key.id, Array.from(vector));
          });
        }),
      );
    }
    return out;
  }

  async count(): Promise<number> {
    this.ensureOpen();
    const counts = await Promise.all(
      [...this.collections.values()].map((collection) => this.call('count vectors', () => collection.count())),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async idsOlderThan(cutoff: number): Promise<string[]> {
    this.ensureOpen();
    if (Number.isNaN(cutoff)) return [];
    return byAge((await this.keys()).filter((key) => key.date < cutoff));
  }

  async idsByAge(): Promise<string[]> {
    this.ensureOpen();
    return byAge(await this.keys());
  }

  close(): Promise<void> {
    // The client holds no connection of its own: nothing to release but the handle.
    this.closed = true;
    return Promise.resolve();
  }

  /** Every record's id and date, read from the Chroma ids alone (no metadata, no filter). */
  private async keys(): Promise<ChromaKey[]> {
    const lists = await Promise.all(
      [...this.collections.values()].map(async (collection) => {
        const keys: ChromaKey[] = [];
        for (let offset = 0; ; offset += PAGE) {
          const page = await this.call('list vectors', () => collection.get({ include: [], limit: PAGE, offset }));
          for (const cid of page.ids) {
            const key = parseChromaId(cid);
            if (key) keys.push(key);
          }
          if (page.ids.length < PAGE) return keys;
        }
      }),
    );
    return lists.flat();
  }

  /** The Chroma ids the records have now, by kind (a string-equality `where`, which Chroma answers fast). */
  private async find(ids: string[]): Promise<Map<MemoryKind, string[]>> {
    const found = new Map<MemoryKind, string[]>();
    if (!ids.length) return found;
    await Promise.all(
      [...this.collections].map(async ([kind, collection]) => {
        const rows = await this.call('find vectors', () =>
          collection.get({ where: { [RECORD_ID_KEY]: { $in: ids } }, include: [] }),
        );
        if (rows.ids.length) found.set(kind, rows.ids);
      }),
    );
    return found;
  }

  /** Deletes what `find` found, except the `kind\ncid` pairs to keep. */
  private async remove(found: Map<MemoryKind, string[]>, keep: Set<string>): Promise<void> {
    await Promise.all(
      [...found].map(([kind, cids]) => {
        // An empty id list is an error to Chroma, not a no-op.
        const stale = cids.filter((cid) => !keep.has(`${kind}\n${cid}`));
        return stale.length
          ? this.call('delete vectors', () => this.collection(kind).delete({ ids: stale }))
          : Promise.resolve();
      }),
    );
  }

  private collection(kind: MemoryKind): Collection {
    const collection = this.collections.get(kind);
    if (!collection) throw new Error(`unreachable: no collection for kind ${kind}`);
    return collection;
  }

  private checkDimensions(width: number, what: string): void {
    if (this.dims !== undefined && width !== this.dims) {
      throw new AppError(
        'memory_dimensions',
        `${what} has ${width} dimensions but the Chroma memory holds ${this.dims}-dimension vectors`,
        { hint: 'The embedding model changed: go back to the previous model, or clear the memory so it is rebuilt' },
      );
    }
  }

  private ensureOpen(): void {
    if (this.closed) {
      throw new AppError('memory_closed', 'the Chroma memory store was used after it was closed', {
        hint: 'Open a new store',
      });
    }
  }

  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return guarded(this.target, what, this.timeoutMs, undefined, run);
  }
}

function byAge(rows: ChromaKey[]): string[] {
  return rows.sort((a, b) => a.date - b.date || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((row) => row.id);
}

/** Query results as candidates; `full` when the documents and metadata came with them. */
function candidates(kind: MemoryKind, result: QueryResult, full: boolean): Candidate[] {
  return (result.ids[0] ?? []).flatMap((cid, i) => {
    const key = parseChromaId(cid);
    if (!key) return [];
    // Chroma's cosine distance is 1 − cosine similarity.
    const score = 1 - (result.distances[0]?.[i] ?? 1);
    const text = full
      ? { document: result.documents[0]?.[i] ?? '', metadata: fromChroma(result.metadatas[0]?.[i] ?? null) }
      : undefined;
    return [{ ...key, cid, kind, score, ...(text ? { full: text } : {}) }];
  });
}
