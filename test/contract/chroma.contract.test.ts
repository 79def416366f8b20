import { createServer } from 'node:net';
import { ChromaClient } from 'chromadb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ChromaVectorStore, openChromaStore } from '../../agents/memory/chroma-store.ts';
import type { MemoryRecord, VectorStore } from '../../agents/memory/types.ts';
import { AppError } from '../../core/errors.ts';
import { runVectorStoreContract, unitVector } from './vector-store.contract.ts';

/** The server test/setup/chroma.ts started (or $CHROMA_TEST_URL); without one, each test fails saying why. */
function chromaUrl(): string {
  const url = inject('chromaUrl');
  if (!url) throw new Error(inject('chromaError') || 'no Chroma test server (test/setup/chroma.ts did not run)');
  return url;
}

// A fresh collection per store, removed after the file, so that a developer's own server is left as it was.
const created: string[] = [];
let counter = 0;

function freshName(): string {
  const name = `contract-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  created.push(name);
  return name;
}

afterAll(async () => {
  const url = inject('chromaUrl');
  if (!url) return;
  const { hostname, port } = new URL(url);
  const client = new ChromaClient({ host: hostname, port: Number(port) });
  // A store keeps one collection per kind beside its base collection; remove them all.
  const names = new Set(created);
  for (const collection of await client.listCollections({ limit: 10_000 })) {
    if ([...names].some((base) => collection.name.startsWith(`${base}-`))) names.add(collection.name);
  }
  for (const name of names) await client.deleteCollection({ name }).catch(() => undefined);
});

let lastName = '';

runVectorStoreContract(
  'chroma',
  () => {
    lastName = freshName();
    return openChromaStore({ url: chromaUrl(), collection: lastName });
  },
  // The same collection, opened again by a new client: its data lives in the server, not in the store object.
  { persistent: () => openChromaStore({ url: chromaUrl(), collection: lastName }) },
);

/** A loopback port that nothing listens on: bound by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

function record(id: string, vector: number[], date = 1_736_146_800_000): MemoryRecord {
  return { id, vector, document: `document ${id}`, metadata: { kind: 'news', source: 'rss', date, itemId: id } };
}

describe('ChromaVectorStore', () => {
  const stores: VectorStore[] = [];

  async function fresh(name = freshName()): Promise<ChromaVectorStore> {
    const store = await openChromaStore({ url: chromaUrl(), collection: name });
    stores.push(store);
    return store;
  }

  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it('says in one line that a server is unreachable, before any client call', async () => {
    const port = await closedPort();
    const started = Date.now();
    const failure = openChromaStore({ url: `http://127.0.0.1:${port}` });
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({ code: 'chroma_unreachable' });
    const line = await failure.catch((error: unknown) => (error as AppError).oneLine());
    expect(line).toBe(
      `Chroma is not reachable at 127.0.0.1:${port} (ECONNREFUSED). Check that the Chroma server is running`,
    );
    expect(line).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses an address that is not an http URL', async () => {
    await expect(openChromaStore({ url: 'chroma.local:8000' })).rejects.toMatchObject({ code: 'chroma_url' });
    await expect(openChromaStore({ url: 'not a url' })).rejects.toMatchObject({ code: 'chroma_url' });
  });

  it('uses a cosine collection named daily-brief-items by default', async () => {
    const store = await openChromaStore({ url: chromaUrl() });
    stores.push(store);
    expect(store.backend).toBe('chroma');
    expect(store.collectionName).toBe('daily-brief-items');
    const { hostname, port } = new URL(chromaUrl());
    const client = new ChromaClient({ host: hostname, port: Number(port) });
    const collection = await client.getOrCreateCollection({ name: 'daily-brief-items', embeddingFunction: null });
    expect(collection.configuration.hnsw?.space).toBe('cosine');
  });

  it('reads the dimensions from the collection when it is opened again', async () => {
    const name = freshName();
    const first = await fresh(name);
    expect(first.dimensions).toBeUndefined();
    await first.upsert([record('a', unitVector(1, 12))]);
    expect(first.dimensions).toBe(12);
    const second = await fresh(name);
    expect(second.dimensions).toBe(12);
  });

  it('refuses vectors of other dimensions with one AppError line, from its own check and from the server', async () => {
    const name = freshName();
    // Opened while the collection is empty, so it cannot know the width the other client is about to fix.
    const unaware = await fresh(name);
    const store = await fresh(name);
    await store.upsert([record('a', unitVector(1, 8))]);
    await expect(store.upsert([record('b', unitVector(2, 16))])).rejects.toMatchObject({ code: 'memory_dimensions' });
    await expect(store.query(unitVector(3, 4), 3)).rejects.toThrow(/4 dimensions .* 8-dimension vectors/);
    await expect(store.upsert([record('c', unitVector(4, 8)), record('d', unitVector(5, 9))])).rejects.toMatchObject({
      code: 'memory_dimensions',
    });

    // The server's own refusal, in the same words.
    expect(unaware.dimensions).toBeUndefined();
    const refused = unaware.upsert([record('e', unitVector(6, 5))]);
    await expect(refused).rejects.toMatchObject({ code: 'memory_dimensions' });
    await expect(refused).rejects.toThrow(/5-dimension vector does not fit the Chroma memory's 8-dimension vectors/);
    expect(await store.count()).toBe(1);
  });

  it('writes and deletes in batches larger than one call takes, and lists ids past one page', async () => {
    const store = await fresh();
    // 500 records per write call, 2000 per page of ids.
    const records = Array.from({ length: 2300 }, (_, i) => record(`r${i}`, unitVector(i + 1, 4), 1_000_000 - i));
    await store.upsert(records);
    expect(await store.count()).toBe(2300);
    const byAge = await store.idsByAge();
    expect(byAge).toHaveLength(2300);
    expect(new Set(byAge).size).toBe(2300);
    expect(byAge[0]).toBe('r2299');
    expect(byAge.at(-1)).toBe('r0');
    expect(await store.idsOlderThan(1_000_000 - 2200)).toHaveLength(99);
    await store.delete(records.slice(0, 1200).map((r) => r.id));
    expect(await store.count()).toBe(1100);
  });

  it('reads an empty kinds list as no kind filter, and ignores a NaN date bound', async () => {
    const store = await fresh();
    await store.upsert([record('a', unitVector(1, 4)), record('b', unitVector(2, 4))]);
    expect(await store.query(unitVector(1, 4), 5, { kinds: [] })).toHaveLength(2);
    expect(await store.query(unitVector(1, 4), 5, { since: Number.NaN })).toHaveLength(2);
    expect(await store.query(unitVector(1, 4), 0)).toEqual([]);
    expect(await store.idsOlderThan(Number.POSITIVE_INFINITY)).toHaveLength(2);
  });

  it('filters nearby candidates itself, and lets Chroma filter when too few of them pass', async () => {
    const store = await fresh();
    const base = unitVector(7, 16);
    // 400 news records right around the query, one email far away: the 300 nearest are all news.
    const near = Array.from({ length: 400 }, (_, i) =>
      record(
        `n${i}`,
        base.map((v, j) => v + (j === i % 16 ? 0.01 * (1 + (i % 5)) : 0)),
      ),
    );
    const far = {
      ...record('e1', unitVector(99, 16)),
      metadata: { kind: 'email' as const, source: 'gmail', date: 1, itemId: 'e1' },
    };
    await store.upsert([...near, far]);
    const news = await store.query(base, 3, { kinds: ['news'] });
    expect(news).toHaveLength(3);
    expect(news.every((h) => h.metadata.kind === 'news' && h.document.startsWith('document n'))).toBe(true);
    const email = await store.query(base, 3, { kinds: ['email'] });
    expect(email.map((h) => h.id)).toEqual(['e1']);
    expect(email[0]?.document).toBe('document e1');
  });

  it('moves records of the older layouts (one collection, then one per kind with plain ids) into its own', async () => {
    const name = freshName();
    const { hostname, port } = new URL(chromaUrl());
    const client = new ChromaClient({ host: hostname, port: Number(port) });
    const old = async (collection: string, id: string, kind: string, date: number): Promise<void> => {
      const c = await client.getOrCreateCollection({
        name: collection,
        configuration: { hnsw: { space: 'cosine' } },
        embeddingFunction: null,
      });
      await c.upsert({
        ids: [id],
        embeddings: [unitVector(date % 97, 4)],
        metadatas: [{ kind, source: 'rss', date, itemId: id, sender: '', feed: 'Old feed', category: '' }],
        documents: [`document ${id}`],
      });
    };
    await old(name, 'first', 'news', 1000);
    await old(`${name}-email`, 'second', 'email', 2000);
    const store = await fresh(name);
    expect(await store.count()).toBe(2);
    const hits = await store.query(unitVector(2000 % 97, 4), 1, { kinds: ['email'], since: 1500 });
    expect(hits.map((h) => h.id)).toEqual(['second']);
    expect(hits[0]?.metadata).toStrictEqual({
      kind: 'email',
      source: 'rss',
      date: 2000,
      itemId: 'second',
      feed: 'Old feed',
    });
    expect((await store.query(unitVector(1000 % 97, 4), 1, { until: 1500 }))[0]?.id).toBe('first');
    expect(await store.idsByAge()).toEqual(['first', 'second']);
    const names = (await client.listCollections({ limit: 10_000 })).map((c) => c.name);
    expect(names).toContain(name);
    expect(names).not.toContain(`${name}-email`);
    expect(await (await client.getCollection({ name })).count()).toBe(0);
  });

  it('is closed after close()', async () => {
    const store = await fresh();
    await store.close();
    await expect(store.count()).rejects.toMatchObject({ code: 'memory_closed' });
  });
});
