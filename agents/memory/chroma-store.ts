import { ChromaClient, ChromaConnectionError, type Collection, type Metadata, type Where } from 'chromadb';
import { AppError } from '../../core/errors.ts';
import type { MemoryKind, MemoryMetadata, MemoryRecord, VectorFilter, VectorHit, VectorStore } from './types.ts';

/** The memory's vectors in a Chroma server (the user's, or the one ChromaSupervisor runs), in a cosine collection. */

export const DEFAULT_CHROMA_COLLECTION = 'daily-brief-items';
/** Candidates fetched unfiltered before filtering here (see overFetch). */
const OVERFETCH = 300;

function passesFilter(meta: VectorHit['metadata'], filter: VectorFilter): boolean {
  if (filter.kinds?.length && !filter.kinds.includes(meta.kind)) return false;
  if (filter.source !== undefined && meta.source !== filter.source) return false;
  if (filter.since !== undefined && !Number.isNaN(filter.since) && meta.date < filter.since) return false;
  if (filter.until !== undefined && !Number.isNaN(filter.until) && meta.date >= filter.until) return false;
  return true;
}

/** Records per upsert or delete call: well under the server's max batch size (5461 for chroma 1.x). */
const BATCH = 500;
/** Records per get() page when listing ids. */
const PAGE = 2000;
const HEARTBEAT_TIMEOUT_MS = 3000;
const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Chroma's upsert merges metadata into an existing record's (a key left out keeps its old value, and null does not
 * remove it), so every optional key is always written, with '' for "absent", which keeps a replace a replace.
 */
const OPTIONAL_KEYS = ['sender', 'feed', 'category'] as const;

export interface OpenChromaStoreOptions {
  /** The server, e.g. http://127.0.0.1:8000. */
  url: string;
  collection?: string;
  /** Cancels the opening (heartbeat and collection set-up). */
  signal?: AbortSignal;
  /** Time limit for each call to the server. Default 30 s. */
  timeoutMs?: number;
}

interface Target {
  host: string;
  port: number;
  ssl: boolean;
  /** host:port, for messages. */
  label: string;
  origin: string;
}

/** Checks the heartbeat first, so that an unreachable server is one line rather than a client stack. */
export async function openChromaStore(options: OpenChromaStoreOptions): Promise<ChromaVectorStore> {
  const target = parseTarget(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await checkHeartbeat(target, options.signal);
  const client = new ChromaClient({ host: target.host, port: target.port, ssl: target.ssl });
  const name = options.collection ?? DEFAULT_CHROMA_COLLECTION;
  const call = <T>(what: string, run: () => Promise<T>): Promise<T> =>
    guarded(target, what, timeoutMs, options.signal, run);
  const collection = await call('open the collection', () =>
    client.getOrCreateCollection({ name, configuration: { hnsw: { space: 'cosine' } }, embeddingFunction: null }),
  );
  const space = collection.configuration.hnsw?.space;
  if (space && space !== 'cosine') {
    throw new AppError('chroma_space', `the Chroma collection "${name}" uses the ${space} space, not cosine`, {
      hint: 'Delete the collection, or name another one',
    });
  }
  const first = await call('read the collection', () => collection.get({ limit: 1, include: ['embeddings'] }));
  return new ChromaVectorStore(collection, target, timeoutMs, first.embeddings[0]?.length);
}

export class ChromaVectorStore implements VectorStore {
  readonly backend = 'chroma';
  readonly collectionName: string;
  private readonly collection: Collection;
  private readonly target: Target;
  private readonly timeoutMs: number;
  private dims: number | undefined;
  private closed = false;

  constructor(collection: Collection, target: Target, timeoutMs: number, dimensions: number | undefined) {
    this.collection = collection;
    this.collectionName = collection.name;
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
    const metadatas = unique.map(toChroma);
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      await this.call('store vectors', () =>
        this.collection.upsert({
          ids: batch.map((record) => record.id),
          embeddings: batch.map((record) => record.vector),
          metadatas: metadatas.slice(start, start + BATCH),
          documents: batch.map((record) => record.document),
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
    const where = toWhere(filter);
    if (where) {
      const quick = await this.overFetch(vector, limit, filter);
      if (quick) return quick;
    }
    const result = await this.call('search', () =>
      this.collection.query({
        queryEmbeddings: [vector],
        nResults: limit,
        include: ['documents', 'metadatas', 'distances'],
        ...(where ? { where } : {}),
      }),
    );
    const ids = result.ids[0] ?? [];
    const hits = ids.map((id, i) => ({
      id,
      // Chroma's cosine distance is 1 − cosine similarity.
      score: 1 - (result.distances[0]?.[i] ?? 1),
      document: result.documents[0]?.[i] ?? '',
      metadata: fromChroma(result.metadatas[0]?.[i] ?? null),
    }));
    return hits.sort((a, b) => b.score - a.score);
  }

  /**
   * Chroma's metadata filters are slow (a date range made p95 go from ~12 ms to ~140 ms on 20k
   * records), while a plain nearest-neighbour query is fast. So: fetch the nearest few hundred
   * without a filter, filter here, and only when too few pass, ask Chroma to filter.
   */
  private async overFetch(vector: number[], limit: number, filter: VectorFilter): Promise<VectorHit[] | undefined> {
    const result = await this.call('search', () =>
      this.collection.query({ queryEmbeddings: [vector], nResults: OVERFETCH, include: ['metadatas', 'distances'] }),
    );
    const ids = result.ids[0] ?? [];
    const passed = ids
      .map((id, i) => ({
        id,
        score: 1 - (result.distances[0]?.[i] ?? 1),
        metadata: fromChroma(result.metadatas[0]?.[i] ?? null),
      }))
      .filter((hit) => passesFilter(hit.metadata, filter));
    // Fewer than asked for came back at all: the collection is that small, and the answer is exact.
    if (passed.length < limit && ids.length >= OVERFETCH) return undefined;
    const top = passed.sort((a, b) => b.score - a.score).slice(0, limit);
    if (!top.length) return [];
    const docs = await this.call('search', () =>
      this.collection.get({ ids: top.map((h) => h.id), include: ['documents'] }),
    );
    const text = new Map(docs.ids.map((id, i) => [id, docs.documents[i] ?? '']));
    return top.map((hit) => ({ ...hit, document: text.get(hit.id) ?? '' }));
  }

  async delete(ids: string[]): Promise<void> {
    this.ensureOpen();
    // An empty id list is an error to Chroma, not a no-op.
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      await this.call('delete vectors', () => this.collection.delete({ ids: batch }));
    }
  }

  async count(): Promise<number> {
    this.ensureOpen();
    return this.call('count vectors', () => this.collection.count());
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
    const rows: { id: string; date: number }[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.call('list vectors', () =>
        this.collection.get({ include: ['metadatas'], limit: PAGE, offset, ...(where ? { where } : {}) }),
      );
      page.ids.forEach((id, i) => rows.push({ id, date: Number(page.metadatas[i]?.date ?? 0) }));
      if (page.ids.length < PAGE) return rows;
    }
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

function toChroma(record: MemoryRecord): Metadata {
  const { kind, source, date, itemId } = record.metadata;
  if (!Number.isFinite(date)) {
    throw new AppError('memory_record', `memory record ${record.id} has no valid date`, {
      hint: 'Give every record a date in epoch milliseconds',
    });
  }
  // Whole milliseconds, stored as an integer so that date filters compare integers with integers.
  const metadata: Metadata = { kind, source, date: Math.floor(date), itemId };
  for (const key of OPTIONAL_KEYS) metadata[key] = record.metadata[key] ?? '';
  return metadata;
}

function fromChroma(stored: Metadata | null): MemoryMetadata {
  const m = stored ?? {};
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const metadata: MemoryMetadata = {
    kind: text(m.kind) as MemoryKind,
    source: text(m.source),
    date: Number(m.date),
    itemId: text(m.itemId),
  };
  for (const key of OPTIONAL_KEYS) {
    const value = m[key];
    if (typeof value === 'string' && value !== '') metadata[key] = value;
  }
  return metadata;
}

/** Chroma wants `$and` only around two or more clauses, and an `$in` list that is not empty. */
function toWhere(filter: VectorFilter): Where | undefined {
  const clauses: Where[] = [];
  if (filter.kinds?.length) clauses.push({ kind: { $in: [...new Set(filter.kinds)] } });
  if (filter.source !== undefined) clauses.push({ source: { $eq: filter.source } });
  // Whole-millisecond dates: rounding a bound up keeps `>=` and `<` exact, and the operand an integer.
  if (filter.since !== undefined && Number.isFinite(filter.since)) {
    clauses.push({ date: { $gte: Math.ceil(filter.since) } });
  }
  if (filter.until !== undefined && Number.isFinite(filter.until)) {
    clauses.push({ date: { $lt: Math.ceil(filter.until) } });
  }
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}

function parseTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new AppError('chroma_url', `the Chroma address "${url}" is not a URL`, {
      hint: 'Write it like http://127.0.0.1:8000',
      cause: error,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('chroma_url', `the Chroma address "${url}" is not http or https`, {
      hint: 'Write it like http://127.0.0.1:8000',
    });
  }
  const ssl = parsed.protocol === 'https:';
  const port = parsed.port ? Number(parsed.port) : ssl ? 443 : 80;
  // The client wants a bare host: IPv6 literals come without their brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, ssl, label: parsed.host, origin: parsed.origin };
}

async function checkHeartbeat(target: Target, signal: AbortSignal | undefined): Promise<void> {
  const timeout = AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`${target.origin}/api/v2/heartbeat`, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await response.body?.cancel();
  } catch (error) {
    if (signal?.aborted) throw new AppError('aborted', `the request to Chroma at ${target.label} was cancelled`);
    const why = timeout.aborted ? `no answer within ${HEARTBEAT_TIMEOUT_MS} ms` : networkCode(error);
    throw new AppError('chroma_unreachable', `Chroma is not reachable at ${target.label} (${why})`, {
      hint: 'Check that the Chroma server is running',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new AppError('chroma_unreachable', `Chroma at ${target.label} answered HTTP ${response.status}`, {
      hint: 'Check that the address is a Chroma server (version 1.x, API v2)',
    });
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, "bad port", …) is in its cause. */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** One call to the server, within its time limit, with any failure turned into one AppError line. */
async function guarded<T>(
  target: Target,
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // The client takes no per-call signal, so a stuck call is abandoned rather than cancelled.
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new AppError('chroma_timeout', `Chroma at ${target.label} did not ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = () => {
      reject(new AppError('aborted', `the request to Chroma at ${target.label} was cancelled`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    if (signal?.aborted) throw new AppError('aborted', `the request to Chroma at ${target.label} was cancelled`);
    return await Promise.race([run(), limit]);
  } catch (error) {
    throw toAppError(error, target, what);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function toAppError(error: unknown, target: Target, what: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ChromaConnectionError) {
    return new AppError('chroma_unreachable', `Chroma is not reachable at ${target.label}`, {
      hint: 'Check that the Chroma server is running',
      cause: error,
    });
  }
  const dims = /expecting embedding with dimension of (\d+), got (\d+)/.exec(message);
  if (dims) {
    return new AppError(
      'memory_dimensions',
      `a ${dims[2] ?? '?'}-dimension vector does not fit the Chroma memory's ${dims[1] ?? '?'}-dimension vectors`,
      {
        hint: 'The embedding model changed: go back to the previous model, or clear the memory so it is rebuilt',
        cause: error,
      },
    );
  }
  // "Bad request to http://…/upsert with status: <the server's reason>": the reason is what matters.
  const reason = (message.split(' with status: ').at(-1) ?? message).split('\n')[0] ?? message;
  return new AppError('chroma_request', `Chroma at ${target.label} could not ${what} (${reason.slice(0, 200)})`, {
    cause: error,
  });
}
