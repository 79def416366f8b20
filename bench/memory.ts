/**
 * bench:memory — can the RAG memory hold months of mail, events and news, search them fast, and skip what it has?
 *
 * A seeded generator (bench/lib/memory-corpus.ts) makes 20,000 items ($BENCH_ITEMS) spread over 120 days: emails from many senders about many
 * projects, calendar events, market, tech and world stories from a dozen feeds and Hacker News. On each back end
 * (sqlite-vec in the app's database, then a Chroma server: $CHROMA_BENCH_URL, else the bundled `chroma run`) the
 * items are stored (Store.upsertItems) and ingested through the real Memory class with a deterministic 768-dimension
 * hash embedder, in chunks of 1,000 as refreshes would. Then it times 200 filtered queries (kinds and a date
 * window) twice: hybrid search through Memory.search (embed the query, semantic + keyword, fused), and the raw
 * VectorStore.query with the same filters and pre-made vectors. Last, the same items are ingested again, unchanged:
 * the embedder should not be called at all.
 *
 * BENCH_SMOKE=1: 300 items, 20 queries, both back ends started the same way.
 *
 * It prints figures and asserts nothing about them. It exits 1 only if a run failed; Chroma being unavailable
 * (e.g. an old glibc and no way to fetch a newer one) is reported and skipped, except under CI, where it fails.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from 'chromadb';
import { CHROMA_GLIBC_ENV, ChromaSupervisor } from '../agents/memory/chroma-server.ts';
import { openChromaStore } from '../agents/memory/chroma-store.ts';
import { hashEmbedder } from '../agents/memory/embeddings.ts';
import { Memory, type IngestReport } from '../agents/memory/memory.ts';
import { SqliteVecStore } from '../agents/memory/sqlite-vec-store.ts';
import type { VectorFilter, VectorStore } from '../agents/memory/types.ts';
import { AppError, describeError } from '../core/errors.ts';
import { memoryLogger } from '../core/log.ts';
import { DATABASE_FILE } from '../core/store/database.ts';
import { Store } from '../core/store/store.ts';
import { isCi } from '../test/helpers/ci.ts';
import { memoryCorpus } from './lib/memory-corpus.ts';
import { sizeFromEnv } from './lib/smoke.ts';
import { quantile } from './lib/stats.ts';

const ITEMS = sizeFromEnv('BENCH_ITEMS', 20_000, 300);
const QUERIES = sizeFromEnv('BENCH_QUERIES', 200, 20);
const SEED = Number(process.env.BENCH_SEED ?? 20261201);
const DIMENSIONS = 768;
const CHUNK = Math.min(1000, ITEMS);
const WARM_UP = Math.min(10, QUERIES);
const TARGET_P95_MS = 50;
const NOW = Date.parse('2026-12-01T06:00:00.000Z');
const TIMEZONE = 'Europe/Berlin';
const SPAN_DAYS = 120;

const at = (ms: number): string => new Date(ms).toISOString();

interface Opened {
  vectors: VectorStore;
  stop?: () => Promise<void>;
  /** How it was opened, when that is worth a line. */
  note?: string;
}

interface Backend {
  name: 'sqlite-vec' | 'chroma';
  /** The vector store, and what to stop besides closing it (a Chroma server this bench started). */
  open(dir: string, store: Store): Promise<Opened>;
}

const { items, queries: benchQueries } = memoryCorpus({
  seed: SEED,
  items: ITEMS,
  queries: QUERIES,
  now: NOW,
  spanDays: SPAN_DAYS,
});
const signal = new AbortController().signal;

const kindCounts = new Map<string, number>();
for (const item of items) kindCounts.set(item.kind, (kindCounts.get(item.kind) ?? 0) + 1);
console.log(
  `bench:memory — ${fmt(ITEMS)} items (seed ${SEED}: ${[...kindCounts].map(([k, n]) => `${fmt(n)} ${k}`).join(', ')}, ` +
    `${SPAN_DAYS} days), hash embedder ${DIMENSIONS} dims, ${QUERIES} filtered queries`,
);

/** The back end could not be opened at all: reported as unavailable, not as a failed run. */
class Unavailable extends Error {}

const backends: Backend[] = [
  { name: 'sqlite-vec', open: (_dir, store) => Promise.resolve({ vectors: new SqliteVecStore(store.db) }) },
  { name: 'chroma', open: (dir) => openChroma(dir) },
];

/**
 * $CHROMA_BENCH_URL (a collection of its own, dropped afterwards), else the bundled `chroma run` for the back end's
 * data directory: directly, or, where this system's glibc is too old, under trixie's (scripts/trixie-glibc.sh).
 */
async function openChroma(dir: string): Promise<Opened> {
  const external = process.env.CHROMA_BENCH_URL;
  if (external) {
    const collection = `bench-memory-${process.pid}-${Date.now()}`;
    let vectors: VectorStore;
    try {
      vectors = await openChromaStore({ url: external, collection });
    } catch (error) {
      throw new Unavailable(`${external}: ${describeError(error)}`);
    }
    const drop = async (): Promise<void> => {
      const url = new URL(external);
      const ssl = url.protocol === 'https:';
      const port = url.port ? Number(url.port) : ssl ? 443 : 80;
      const client = new ChromaClient({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, ssl });
      await client.deleteCollection({ name: collection });
    };
    return { vectors, stop: drop, note: `server ${external}, collection ${collection} (dropped afterwards)` };
  }
  const attempt = async (): Promise<Opened> => {
    const supervisor = new ChromaSupervisor({ dataDir: dir, startTimeoutMs: 60_000 });
    try {
      const { url } = await supervisor.start();
      return { vectors: await openChromaStore({ url }), stop: () => supervisor.stop() };
    } catch (error) {
      await supervisor.stop();
      throw error;
    }
  };
  let direct: unknown;
  try {
    return { ...(await attempt()), note: 'bundled server' };
  } catch (error) {
    // Only a glibc that is too old is fixed by the loader (as in test/setup/chroma.ts).
    const glibc = error instanceof AppError && error.code === 'chroma_glibc';
    if (process.env[CHROMA_GLIBC_ENV] || !glibc) throw new Unavailable(describeError(error));
    direct = error;
  }
  let lib: string;
  try {
    const script = join(import.meta.dirname, '..', 'scripts', 'trixie-glibc.sh');
    const out = execFileSync('bash', [script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    lib = out.trim().split('\n').at(-1)?.trim() ?? '';
    if (!lib) throw new Error('it printed no lib dir');
  } catch (error) {
    throw new Unavailable(`${describeError(direct)}; and no newer glibc: ${describeError(error)}`);
  }
  process.env[CHROMA_GLIBC_ENV] = lib;
  try {
    const opened = await attempt();
    return { ...opened, note: `bundled server under trixie's glibc (${lib}); directly: ${describeError(direct)}` };
  } catch (error) {
    throw new Unavailable(`${describeError(error)} (also under trixie's glibc; directly: ${describeError(direct)})`);
  }
}

// The items go into a store once; each back end starts from a copy of that database (store.upsertItems is not
// what this bench measures, and at this size it is slow).
const seedDir = mkdtempSync(join(tmpdir(), 'db-bench-memory-seed-'));
let exitCode = 0;
try {
  const seed = Store.open(seedDir);
  try {
    const runId = seed.startRun('bench', at(NOW));
    const started = performance.now();
    for (let i = 0; i < items.length; i += CHUNK) seed.upsertItems(runId, items.slice(i, i + CHUNK), at(NOW));
    console.log(
      `store.upsertItems: ${fmt(ITEMS)} items in ${seconds(performance.now() - started)}, chunks of ${fmt(CHUNK)} ` +
        `(once; each back end starts from a copy)`,
    );
    seed.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    seed.close();
  }
  for (const backend of backends) {
    try {
      await bench(backend);
    } catch (error) {
      const state = error instanceof Unavailable ? 'unavailable' : 'failed';
      console.log(`${backend.name}: ${state} (${describeError(error)})`);
      if (backend.name === 'sqlite-vec' || !(error instanceof Unavailable) || isCi()) exitCode = 1;
    }
  }
} finally {
  rmSync(seedDir, { recursive: true, force: true });
}
process.exitCode = exitCode;

async function bench(backend: Backend): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `db-bench-memory-${backend.name}-`));
  let store: Store | undefined;
  let memory: Memory | undefined;
  let stop: (() => Promise<void>) | undefined;
  try {
    copyFileSync(join(seedDir, DATABASE_FILE), join(dir, DATABASE_FILE));
    store = Store.open(dir);
    const opened = await backend.open(dir, store);
    stop = opened.stop;
    const { vectors } = opened;
    const embedder = hashEmbedder(DIMENSIONS);
    let embedMs = 0;
    const timedEmbedder = {
      model: embedder.model,
      embedDocuments: async (texts: string[], s: AbortSignal) => {
        const started = performance.now();
        try {
          return await embedder.embedDocuments(texts, s);
        } finally {
          embedMs += performance.now() - started;
        }
      },
      embedQuery: (text: string, s: AbortSignal) => embedder.embedQuery(text, s),
    };
    const log = memoryLogger();
    memory = new Memory({
      store,
      vectors,
      embedder: timedEmbedder,
      log,
      timezone: TIMEZONE,
      retentionDays: 365,
      maxItems: ITEMS * 2,
      now: () => NOW,
      ...(stop ? { onClose: stop } : {}),
    });
    stop = undefined; // memory.close() stops it from here on
    console.log(`${backend.name}:${opened.note ? ` ${opened.note}` : ''}`);

    // First ingest: every item is new.
    const first = await ingestAll(store, memory, false);
    const rate = Math.round(ITEMS / (first.ingestMs / 1000));
    console.log(
      `  ingest (Memory.ingest, chunks of ${fmt(CHUNK)}): ${fmt(ITEMS)} items in ${seconds(first.ingestMs)}, ` +
        `${fmt(rate)} items/s; ${fmt(first.report.embedded)} embedded in ${fmt(embedder.calls)} calls, ` +
        `of which the hash embedder itself took ${seconds(embedMs)}`,
    );
    if (first.report.pending) console.log(`  ! ${fmt(first.report.pending)} items left pending`);
    console.log(`  vectors stored: ${fmt(await vectors.count())}`);

    // Filtered hybrid search, as the reasoner and `ask` call it.
    for (const q of benchQueries.slice(0, WARM_UP)) await memory.search(q.text, { ...q.filter, limit: 10 }, signal);
    const searchTimes: number[] = [];
    let hits = 0;
    const via = { semantic: 0, keyword: 0, both: 0 };
    for (const q of benchQueries) {
      const started = performance.now();
      const result = await memory.search(q.text, { ...q.filter, limit: 10 }, signal);
      searchTimes.push(performance.now() - started);
      hits += result.length;
      for (const hit of result) via[hit.via]++;
    }
    console.log(
      `  search (hybrid, ${QUERIES} filtered queries, limit 10): p50 ${ms(quantile(searchTimes, 0.5))}, ` +
        `p95 ${ms(quantile(searchTimes, 0.95))} (target p95 < ${TARGET_P95_MS} ms); ` +
        `${(hits / QUERIES).toFixed(1)} hits per query (${share(via.semantic, hits)} semantic only, ` +
        `${share(via.keyword, hits)} keyword only, ${share(via.both, hits)} both)`,
    );

    // The keyword half alone, as Memory.search calls it (one kind passes through; twice the limit).
    const keywordTimes: number[] = [];
    for (const q of benchQueries) {
      const kind = q.filter.kinds.length === 1 ? q.filter.kinds[0] : undefined;
      const started = performance.now();
      store.searchItems(q.text, {
        ...(kind && kind !== 'action' && kind !== 'brief' && kind !== 'feedback' ? { kind } : {}),
        since: at(q.filter.since),
        until: at(q.filter.until),
        limit: 20,
      });
      keywordTimes.push(performance.now() - started);
    }
    console.log(
      `    of which keyword (store.searchItems, FTS5): p50 ${ms(quantile(keywordTimes, 0.5))}, ` +
        `p95 ${ms(quantile(keywordTimes, 0.95))}`,
    );

    // The vector store alone: same filters, query vectors made beforehand.
    const vectorQueries: { vector: number[]; filter: VectorFilter }[] = [];
    for (const q of benchQueries)
      vectorQueries.push({ vector: await embedder.embedQuery(q.text, signal), filter: q.filter });
    for (const q of vectorQueries.slice(0, WARM_UP)) await vectors.query(q.vector, 10, q.filter);
    const queryTimes: number[] = [];
    let rawHits = 0;
    for (const q of vectorQueries) {
      const started = performance.now();
      const result = await vectors.query(q.vector, 10, q.filter);
      queryTimes.push(performance.now() - started);
      rawHits += result.length;
    }
    console.log(
      `  vectors.query (k 10, same filters): p50 ${ms(quantile(queryTimes, 0.5))}, p95 ${ms(quantile(queryTimes, 0.95))} ` +
        `(target p95 < ${TARGET_P95_MS} ms); ${(rawHits / QUERIES).toFixed(1)} hits per query`,
    );

    // The same items again, unchanged: nothing should reach the embedder.
    embedder.calls = 0;
    embedder.inputs = 0;
    const again = await ingestAll(store, memory, true);
    console.log(
      `  re-ingest of the same ${fmt(ITEMS)} items: ${fmt(embedder.calls)} embed calls, ${fmt(embedder.inputs)} inputs ` +
        `(target 0); ${fmt(again.report.unchanged)} unchanged; Memory.ingest ${seconds(again.ingestMs)} ` +
        `(store.upsertItems ${seconds(again.storeMs)})`,
    );
    const warnings = log.lines.filter((l) => l.level === 'warn');
    if (warnings.length) console.log(`  ! ${warnings.length} warnings, first: ${warnings[0]?.message ?? ''}`);
  } finally {
    try {
      await memory?.close();
      await stop?.();
    } finally {
      store?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Ingests in chunks, as successive refreshes would; `restore` first stores the (unchanged) items again, too. */
async function ingestAll(
  store: Store,
  memory: Memory,
  restore: boolean,
): Promise<{ storeMs: number; ingestMs: number; report: IngestReport }> {
  const report: IngestReport = { embedded: 0, unchanged: 0, pending: 0 };
  let storeMs = 0;
  let ingestMs = 0;
  const runId = store.startRun('bench', at(NOW));
  for (let i = 0; i < items.length; i += CHUNK) {
    const slice = items.slice(i, i + CHUNK);
    let started = performance.now();
    if (restore) store.upsertItems(runId, slice, at(NOW));
    storeMs += performance.now() - started;
    started = performance.now();
    const chunk = await memory.ingest(slice, signal);
    ingestMs += performance.now() - started;
    report.embedded += chunk.embedded;
    report.unchanged += chunk.unchanged;
    report.pending = chunk.pending;
  }
  return { storeMs, ingestMs, report };
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

function share(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '0%';
}
