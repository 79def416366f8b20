import { ChromaClient, type Collection, type Metadata, type Where } from 'chromadb';
import { AppError } from '../../core/errors.ts';
import { checkHeartbeat, guarded, parseTarget, type Target } from './chroma-call.ts';
import { fromChroma, passesFilter, toChroma, toWhere } from './chroma-metadata.ts';
import type { MemoryKind, MemoryMetadata, MemoryRecord, VectorFilter, VectorHit, VectorStore } from './types.ts';

/**
 * The memory's vectors in a Chroma server (the user's, or the one ChromaSupervisor runs), in cosine collections: one
 * per kind (`<name>-email`, `<name>-news`, …), because Chroma's metadata filters are slow (a `where` on kind made a
 * k=10 query go from ~6 ms to ~35 ms on 20k records) and every search the memory makes is by kind. The collection
 * `<name>` itself is kept, empty, as the store's name on the server; records an older version put there are moved.
 */

export const DEFAULT_CHROMA_COLLECTION = 'daily-brief-items';
const KINDS: readonly MemoryKind[] = ['email', 'event', 'news', 'weather', 'action', 'brief', 'feedback'];
/** Candidates fetched unfiltered before filtering here (see overFetch). */
const OVERFETCH = 300;
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

type Call = <T>(what: string, run: () => Promise<T>) => Promise<T>;

/** A hit before its document is fetched (over-fetched candidates come without one), and the kind it was found in. */
interface Candidate {
  id: string;
  score: number;
  metadata: MemoryMetadata;
  document?: string;
  kind: MemoryKind;
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
  const [base, ...parts] = await Promise.all([name, ...KINDS.map((kind) => `${name}-${kind}`)].map(open));
  if (!base) throw new Error('unreachable: no base collection');
  const collections = new Map(KINDS.map((kind, i) => [kind, parts[i] as Collection]));
  await moveLegacy(base, collections, call);
  const firsts = await Promise.all(
    parts.map((part) => call('read the collection', () => part.get({ limit: 1, include: ['embeddings'] }))),
  );
  const dimensions = firsts.map((first) => first.embeddings[0]?.length).find((width) => width !== undefined);
  return new ChromaVectorStore(base.name, collections, target, timeoutMs, dimensions);
}

/**
 * Before collections per kind, every record was in `<name>`: move them to their kind's collection (a page at a time,
 * written before it is deleted, so an interrupted move is resumed on the next open and loses nothing).
 */
async function moveLegacy(base: Collection, collections: Map<MemoryKind, Collection>, call: Call): Promise<void> {
  // Records of a kind this version does not know stay where they are, skipped by offset.
  for (let kept = 0; ;) {
    const page = await call('move old vectors', () =>
      base.get({ limit: BATCH, offset: kept, include: ['embeddings', 'metadatas', 'documents'] }),
    );
    if (!page.ids.length) return;
    const moved: string[] = [];
    for (const [kind, collection] of collections) {
      const rows = page.ids.flatMap((id, i) => (page.metadatas[i]?.kind === kind ? [i] : []));
      if (!rows.length) continue;
      await call('move old vectors', () =>
        collection.upsert({
          ids: rows.map((i) => page.ids[i] ?? ''),
          embeddings: rows.map((i) => page.embeddings[i] ?? []),
          metadatas: rows.map((i) => page.metadatas[i] ?? {}),
          documents: rows.map((i) => page.documents[i] ?? ''),
        }),
      );
      moved.push(...rows.map((i) => page.ids[i] ?? ''));
    }
    if (moved.length) await call('move old vectors', () => base.delete({ ids: moved }));
    kept += page.ids.length - moved.length;
  }
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
      const batch = unique.slice(start, start + BATCH).map((record, i) => ({ record, metadata: metadatas[start + i] }));
      await Promise.all(
        [...this.collections].map(([kind, collection]) => {
          const mine = batch.filter(({ record }) => record.metadata.kind === kind);
          if (!mine.length) return Promise.resolve();
          return this.call('store vectors', () =>
            collection.upsert({
              ids: mine.map(({ record }) => record.id),
              embeddings: mine.map(({ record }) => record.vector),
              metadatas: mine.map(({ metadata }) => metadata as Metadata),
              documents: mine.map(({ record }) => record.document),
            }),
          );
        }),
      );
      // A record whose kind changed must leave its old kind's collection, or a search would find it under both.
      await Promise.all(
        [...this.collections].map(([kind, collection]) => {
          const others = batch.filter(({ record }) => record.metadata.kind !== kind).map(({ record }) => record.id);
          return others.length
            ? this.call('store vectors', () => collection.delete({ ids: others }))
            : Promise.resolve();
        }),
      );
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
    const found = await Promise.all(kinds.map((kind) => this.search(kind, vector, limit, rest)));
    const top = found
      .flat()
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    const text = await this.documents(top);
    return top.map(({ id, score, metadata, document }) => ({
      id,
      score,
      document: document ?? text.get(id) ?? '',
      metadata,
    }));
  }

  /** The nearest `limit` records of one kind that pass the rest of the filter. */
  private async search(kind: MemoryKind, vector: number[], limit: number, rest: VectorFilter): Promise<Candidate[]> {
    const collection = this.collection(kind);
    const where = toWhere(rest);
    if (where) {
      const quick = await this.overFetch(kind, vector, limit, rest);
      if (quick) return quick;
    }
    const result = await this.call('search', () =>
      collection.query({
        queryEmbeddings: [vector],
        nResults: limit,
        include: ['documents', 'metadatas', 'distances'],
        ...(where ? { where } : {}),
      }),
    );
    return (result.ids[0] ?? []).map((id, i) => ({
      id,
      // Chroma's cosine distance is 1 − cosine similarity.
      score: 1 - (result.distances[0]?.[i] ?? 1),
      document: result.documents[0]?.[i] ?? '',
      metadata: fromChroma(result.metadatas[0]?.[i] ?? null),
      kind,
    }));
  }

  /**
   * A `where` on dates costs Chroma far more than a plain nearest-neighbour query (~32 ms against ~6 ms on 20k
   * records). So: fetch the nearest few hundred without a filter, filter here, and only when too few pass, ask Chroma
   * to filter. The documents are fetched afterwards, for the few hits that make the final cut.
   */
  private async overFetch(
    kind: MemoryKind,
    vector: number[],
    limit: number,
    filter: VectorFilter,
  ): Promise<Candidate[] | undefined> {
    const result = await this.call('search', () =>
      this.collection(kind).query({
        queryEmbeddings: [vector],
        nResults: OVERFETCH,
        include: ['metadatas', 'distances'],
      }),
    );
    const ids = result.ids[0] ?? [];
    const passed = ids
      .map((id, i) => ({
        id,
        score: 1 - (result.distances[0]?.[i] ?? 1),
        metadata: fromChroma(result.metadatas[0]?.[i] ?? null),
        kind,
      }))
      .filter((hit) => passesFilter(hit.metadata, filter));
    // Fewer than asked for came back at all: the collection is that small, and the answer is exact.
    if (passed.length < limit && ids.length >= OVERFETCH) return undefined;
    return passed.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** The documents of the hits that came without one, from their kinds' collections at once. */
  private async documents(hits: Candidate[]): Promise<Map<string, string>> {
    const text = new Map<string, string>();
    const wanted = new Map<MemoryKind, string[]>();
    for (const hit of hits)
      if (hit.document === undefined) wanted.set(hit.kind, [...(wanted.get(hit.kind) ?? []), hit.id]);
    await Promise.all(
      [...wanted].map(async ([kind, ids]) => {
        const docs = await this.call('search', () => this.collection(kind).get({ ids, include: ['documents'] }));
        docs.ids.forEach((id, i) => text.set(id, docs.documents[i] ?? ''));
      }),
    );
    return text;
  }

  async delete(ids: string[]): Promise<void> {
    this.ensureOpen();
    // An empty id list is an error to Chroma, not a no-op.
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      await Promise.all(
        [...this.collections.values()].map((collection) =>
          this.call('delete vectors', () => collection.delete({ ids: batch })),
        ),
      );
    }
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
    if (Number.isNaN(cutoff) || cutoff === -Infinity) return [];
    // Dates are whole milliseconds: `date < ceil(cutoff)` is `date < cutoff`, with an integer Chroma compares exactly.
    const where: Where | undefined = cutoff === Infinity ? undefined : { date: { $lt: Math.ceil(cutoff) } };
    return byAge(await this.listDates(where));
  }

  async idsByAge(): Promise<string[]> {
    this.ensureOpen();
    return byAge(await this.listDates(undefined));
  }

  close(): Promise<void> {
    // The client holds no connection of its own: nothing to release but the handle.
    this.closed = true;
    return Promise.resolve();
  }

  private async listDates(where: Where | undefined): Promise<{ id: string; date: number }[]> {
    const lists = await Promise.all(
      [...this.collections.values()].map(async (collection) => {
        const rows: { id: string; date: number }[] = [];
        for (let offset = 0; ; offset += PAGE) {
          const page = await this.call('list vectors', () =>
            collection.get({ include: ['metadatas'], limit: PAGE, offset, ...(where ? { where } : {}) }),
          );
          page.ids.forEach((id, i) => rows.push({ id, date: Number(page.metadatas[i]?.date ?? 0) }));
          if (page.ids.length < PAGE) return rows;
        }
      }),
    );
    return lists.flat();
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

function byAge(rows: { id: string; date: number }[]): string[] {
  return rows.sort((a, b) => a.date - b.date || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((row) => row.id);
}
