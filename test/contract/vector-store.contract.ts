import { afterEach, describe, expect, it } from 'vitest';
import type {
  MemoryKind,
  MemoryMetadata,
  MemoryRecord,
  VectorFilter,
  VectorHit,
  VectorStore,
} from '../../agents/memory/types.ts';

/**
 * What every vector back end must do, whatever it runs on. Kept back-end neutral: scores are compared with a
 * tolerance (float32 storage, different distance kernels), and no test depends on the order of equal scores.
 */

export interface VectorStoreContractOptions {
  /**
   * Opens the storage behind the most recent `open()` again, after its store was closed. With it, the contract
   * also checks that data outlives close().
   */
  persistent?: () => Promise<VectorStore>;
}

const TOLERANCE = 1e-4;
const DIMS = 16;
/** Realistic epoch-millisecond dates, so that integer handling of large values is exercised too. */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 6, 7, 0, 0);

// ---- deterministic vectors ---------------------------------------------------------------

/** mulberry32: small, fast and the same on every platform. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalize(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}

/** A unit vector drawn from the seed. */
export function unitVector(seed: number, dims = DIMS): number[] {
  const next = random(seed);
  return normalize(Array.from({ length: dims }, () => next() * 2 - 1));
}

/**
 * A unit vector whose cosine similarity with the unit vector `base` is exactly `cosine`: `base` rotated towards a
 * seeded direction orthogonal to it. This pins every expected score, so the tests do not depend on chance.
 */
export function atCosine(base: number[], cosine: number, seed: number): number[] {
  const other = unitVector(seed, base.length);
  const along = other.reduce((sum, x, i) => sum + x * (base[i] ?? 0), 0);
  const orthogonal = normalize(other.map((x, i) => x - along * (base[i] ?? 0)));
  const sine = Math.sqrt(1 - cosine * cosine);
  return base.map((x, i) => cosine * x + sine * (orthogonal[i] ?? 0));
}

function scale(vector: number[], factor: number): number[] {
  return vector.map((x) => x * factor);
}

function record(id: string, vector: number[], metadata: Partial<MemoryMetadata> = {}, document?: string): MemoryRecord {
  return {
    id,
    vector,
    document: document ?? `document ${id}`,
    metadata: { kind: 'news', source: 'rss', date: T0, itemId: id, ...metadata },
  };
}

function ids(hits: VectorHit[]): string[] {
  return hits.map((hit) => hit.id);
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

function expectClose(actual: number | undefined, expected: number): void {
  expect(actual).toBeTypeOf('number');
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(TOLERANCE);
}

/** Closest first: scores never increase along the list (within the tolerance, for near-ties). */
function expectDescending(hits: VectorHit[]): void {
  for (let i = 1; i < hits.length; i++) {
    expect(hits[i]?.score ?? Number.NaN).toBeLessThanOrEqual((hits[i - 1]?.score ?? Number.NaN) + TOLERANCE);
  }
}

// ---- the suite ---------------------------------------------------------------------------

export function runVectorStoreContract(
  name: string,
  open: () => Promise<VectorStore>,
  options: VectorStoreContractOptions = {},
): void {
  describe(`VectorStore contract: ${name}`, () => {
    const opened = new Set<VectorStore>();

    /** A fresh, empty store for this test, closed after it. */
    async function fresh(): Promise<VectorStore> {
      const store = await open();
      opened.add(store);
      return store;
    }

    afterEach(async () => {
      for (const store of opened) await store.close();
      opened.clear();
    });

    const query = unitVector(1);

    /** Eight records spread over kinds, sources and days; every one at a distinct cosine from `query`. */
    const spread: MemoryRecord[] = [
      record('n1', atCosine(query, 0.95, 11), { kind: 'news', source: 'rss', date: T0 }),
      record('n2', atCosine(query, 0.85, 12), { kind: 'news', source: 'hn', date: T0 + DAY }),
      record('e1', atCosine(query, 0.75, 13), { kind: 'email', source: 'gmail', date: T0 + 2 * DAY }),
      record('e2', atCosine(query, 0.65, 14), { kind: 'email', source: 'gmail', date: T0 + 3 * DAY }),
      record('v1', atCosine(query, 0.55, 15), { kind: 'event', source: 'calendar', date: T0 + 4 * DAY }),
      record('a1', atCosine(query, 0.45, 16), { kind: 'action', source: 'gmail', date: T0 + 5 * DAY }),
      record('n3', atCosine(query, 0.35, 17), { kind: 'news', source: 'rss', date: T0 + 6 * DAY }),
      record('b1', atCosine(query, 0.25, 18), { kind: 'brief', source: 'brief', date: T0 + 7 * DAY }),
    ];

    async function filled(): Promise<VectorStore> {
      const store = await fresh();
      await store.upsert(spread);
      return store;
    }

    it('returns the closest first, with score 1 for an identical vector and the cosine for the others', async () => {
      const store = await fresh();
      const expected = { same: 1, near: 0.8, middle: 0.3, opposite: -0.5 };
      // Inserted out of order, so that insertion order cannot pass for ranking.
      await store.upsert([
        record('middle', atCosine(query, expected.middle, 21)),
        record('opposite', atCosine(query, expected.opposite, 22)),
        record('same', [...query]),
        record('near', atCosine(query, expected.near, 23)),
      ]);
      const hits = await store.query(query, 4);
      expect(ids(hits)).toEqual(['same', 'near', 'middle', 'opposite']);
      for (const hit of hits) expectClose(hit.score, expected[hit.id as keyof typeof expected]);
      expect(hits[0]?.document).toBe('document same');
      expect(hits[0]?.metadata).toStrictEqual(record('same', query).metadata);
    });

    it('returns only the k closest when there are more', async () => {
      const store = await filled();
      const hits = await store.query(query, 3);
      expect(ids(hits)).toEqual(['n1', 'n2', 'e1']);
      expectDescending(hits);
    });

    it('ranks by cosine, not by Euclidean distance: length does not matter', async () => {
      const store = await fresh();
      await store.upsert([record('long', scale(query, 5)), record('close', atCosine(query, 0.9, 31))]);
      // By L2 distance from this short query, "close" (≈0.91 away) would beat "long" (4.9 away).
      const hits = await store.query(scale(query, 0.1), 2);
      expect(ids(hits)).toEqual(['long', 'close']);
      expectClose(hits[0]?.score, 1);
      expectClose(hits[1]?.score, 0.9);
    });

    it('replaces a record by id on upsert', async () => {
      const store = await fresh();
      await store.upsert([
        record('a', atCosine(query, 0.2, 41), { kind: 'email', source: 'gmail', sender: 'ann@example.com' }, 'old'),
        record('b', atCosine(query, 0.5, 42)),
      ]);
      expect(await store.count()).toBe(2);
      await store.upsert([record('a', [...query], { kind: 'news', source: 'hn', date: T0 + DAY, feed: 'HN' }, 'new')]);
      expect(await store.count()).toBe(2);
      const hits = await store.query(query, 10);
      expect(sorted(ids(hits))).toEqual(['a', 'b']);
      expect(hits[0]?.id).toBe('a');
      expectClose(hits[0]?.score, 1);
      expect(hits[0]?.document).toBe('new');
      expect(hits[0]?.metadata).toStrictEqual({
        kind: 'news',
        source: 'hn',
        date: T0 + DAY,
        itemId: 'a',
        feed: 'HN',
      });
      // The old metadata is gone from the filters too.
      expect(await store.query(query, 10, { kinds: ['email'] })).toEqual([]);
      expect(ids(await store.query(query, 10, { source: 'hn' }))).toEqual(['a']);
    });

    it('keeps the last of two records with the same id in one batch', async () => {
      const store = await fresh();
      await store.upsert([record('a', [...query], {}, 'first'), record('a', atCosine(query, 0.5, 43), {}, 'second')]);
      expect(await store.count()).toBe(1);
      const hits = await store.query(query, 5);
      expect(ids(hits)).toEqual(['a']);
      expect(hits[0]?.document).toBe('second');
      expectClose(hits[0]?.score, 0.5);
    });

    it('filters by one kind', async () => {
      const store = await filled();
      const hits = await store.query(query, 20, { kinds: ['news'] });
      expect(sorted(ids(hits))).toEqual(['n1', 'n2', 'n3']);
      expect(hits[0]?.id).toBe('n1');
      expectDescending(hits);
    });

    it('filters by several kinds', async () => {
      const store = await filled();
      const kinds: MemoryKind[] = ['email', 'event', 'brief'];
      const hits = await store.query(query, 20, { kinds });
      expect(sorted(ids(hits))).toEqual(['b1', 'e1', 'e2', 'v1']);
      expectDescending(hits);
    });

    it('filters by source', async () => {
      const store = await filled();
      const hits = await store.query(query, 20, { source: 'gmail' });
      expect(sorted(ids(hits))).toEqual(['a1', 'e1', 'e2']);
      expect(await store.query(query, 20, { source: 'nowhere' })).toEqual([]);
    });

    it('filters by since, inclusive', async () => {
      const store = await filled();
      const hits = await store.query(query, 20, { since: T0 + 5 * DAY });
      expect(sorted(ids(hits))).toEqual(['a1', 'b1', 'n3']);
      expect(sorted(ids(await store.query(query, 20, { since: T0 + 5 * DAY + 1 })))).toEqual(['b1', 'n3']);
    });

    it('filters by until, exclusive', async () => {
      const store = await filled();
      const hits = await store.query(query, 20, { until: T0 + 2 * DAY });
      expect(sorted(ids(hits))).toEqual(['n1', 'n2']);
      expect(sorted(ids(await store.query(query, 20, { until: T0 + 2 * DAY + 1 })))).toEqual(['e1', 'n1', 'n2']);
    });

    it('combines kinds, source and a date range', async () => {
      const store = await filled();
      const hits = await store.query(query, 20, {
        kinds: ['email', 'action', 'news'],
        source: 'gmail',
        since: T0 + 3 * DAY,
        until: T0 + 7 * DAY,
      });
      expect(sorted(ids(hits))).toEqual(['a1', 'e2']);
      expect(ids(hits)).toEqual(['e2', 'a1']);
      expectClose(hits[0]?.score, 0.65);
      expect(
        await store.query(query, 20, { kinds: ['news'], source: 'gmail', since: T0, until: T0 + 8 * DAY }),
      ).toEqual([]);
    });

    it('returns only the matches when k is larger than their number', async () => {
      const store = await filled();
      expect(await store.query(query, 50)).toHaveLength(spread.length);
      const hits = await store.query(query, 10, { kinds: ['email'] });
      expect(sorted(ids(hits))).toEqual(['e1', 'e2']);
    });

    it('finds the k closest among the matches, not among all records', async () => {
      const store = await filled();
      // The two closest records overall are news; a filtered k=2 must still return two records.
      const hits = await store.query(query, 2, { kinds: ['event', 'brief', 'action'] });
      expect(ids(hits)).toEqual(['v1', 'a1']);
    });

    it('finds every match of a selective filter, behind many closer records that do not match', async () => {
      const store = await fresh();
      const window = { since: T0 + 40 * DAY + HOUR, until: T0 + 40 * DAY + 3 * HOUR };
      // 3,300 records (2,200 news, 1,100 email) closer to the query than almost every match, none of them in the
      // window or from "rare": a search that filters only the nearest few hundred or thousand finds one match or none.
      const decoys = Array.from({ length: 3300 }, (_, i) =>
        record(`d${i}`, atCosine(query, 0.9 + (0.09 * i) / 3300, 5000 + i), {
          kind: i % 3 ? 'news' : 'email',
          date: T0 + (i % 100) * DAY + 12 * HOUR,
        }),
      );
      const inWindow = { date: T0 + 40 * DAY + 2 * HOUR };
      const matches = [
        record('w-near', atCosine(query, 0.955, 61), { kind: 'news', ...inWindow }),
        record('w5', atCosine(query, 0.5, 62), { kind: 'email', ...inWindow }),
        record('w4', atCosine(query, 0.4, 63), { kind: 'news', ...inWindow }),
        record('w3', atCosine(query, 0.3, 64), { kind: 'news', ...inWindow }),
        record('w2', atCosine(query, 0.2, 65), { kind: 'email', ...inWindow }),
        record('r45', atCosine(query, 0.45, 66), { kind: 'news', source: 'rare', date: T0 + 3 * DAY }),
        record('r35', atCosine(query, 0.35, 67), { kind: 'email', source: 'rare', date: T0 + 70 * DAY }),
        record('r25', atCosine(query, 0.25, 68), { kind: 'news', source: 'rare', date: T0 + 90 * DAY }),
        record('r15', atCosine(query, 0.15, 69), { kind: 'news', source: 'rare', date: T0 + 5 * DAY }),
      ];
      const all = [...decoys, ...matches];
      await store.upsert(all);

      /** The exact answer: every record checked against the filter, ranked by its cosine with the query. */
      function exact(k: number, filter: VectorFilter): string[] {
        return all
          .filter(
            (r) =>
              (!filter.kinds?.length || filter.kinds.includes(r.metadata.kind)) &&
              (filter.source === undefined || r.metadata.source === filter.source) &&
              (filter.since === undefined || r.metadata.date >= filter.since) &&
              (filter.until === undefined || r.metadata.date < filter.until),
          )
          .map((r) => ({ id: r.id, cosine: r.vector.reduce((sum, x, i) => sum + x * (query[i] ?? 0), 0) }))
          .sort((a, b) => b.cosine - a.cosine)
          .slice(0, k)
          .map((r) => r.id);
      }

      const cases: [number, VectorFilter][] = [
        [3, window],
        [10, window],
        [2, { ...window, kinds: ['email'] }],
        [3, { source: 'rare' }],
        [3, { source: 'rare', kinds: ['news'], since: T0 + 4 * DAY }],
        [5, { kinds: ['email'], since: T0 + 99 * DAY }],
      ];
      for (const [k, filter] of cases) {
        const hits = await store.query(query, k, filter);
        expect(ids(hits), JSON.stringify(filter)).toEqual(exact(k, filter));
      }
      // Spelled out once, so that the exact search above is checked too.
      const hits = await store.query(query, 3, window);
      expect(ids(hits)).toEqual(['w-near', 'w5', 'w4']);
      expectClose(hits[1]?.score, 0.5);
      expect(hits[1]?.metadata).toStrictEqual(matches[1]?.metadata);
      expect(hits[1]?.document).toBe('document w5');
      expect(ids(await store.query(query, 3, { source: 'rare' }))).toEqual(['r45', 'r35', 'r25']);
    }, 60_000);

    it('deletes by id, ignoring unknown ids and doing nothing for an empty list', async () => {
      const store = await filled();
      await store.delete([]);
      expect(await store.count()).toBe(spread.length);
      await store.delete(['n1', 'e2', 'no-such-id']);
      expect(await store.count()).toBe(spread.length - 2);
      const hits = await store.query(query, 20);
      expect(sorted(ids(hits))).toEqual(['a1', 'b1', 'e1', 'n2', 'n3', 'v1']);
      expect(await store.idsByAge()).not.toContain('n1');
      // A deleted id can come back.
      await store.upsert([record('n1', [...query])]);
      expect((await store.query(query, 1))[0]?.id).toBe('n1');
    });

    it('counts records, and an empty upsert changes nothing', async () => {
      const store = await fresh();
      expect(await store.count()).toBe(0);
      await store.upsert([]);
      expect(await store.count()).toBe(0);
      await store.upsert(spread.slice(0, 3));
      expect(await store.count()).toBe(3);
      await store.upsert(spread);
      expect(await store.count()).toBe(spread.length);
    });

    it('lists ids older than a cutoff (strictly before it)', async () => {
      const store = await filled();
      expect(sorted(await store.idsOlderThan(T0 + 2 * DAY))).toEqual(['n1', 'n2']);
      expect(sorted(await store.idsOlderThan(T0 + 2 * DAY + 1))).toEqual(['e1', 'n1', 'n2']);
      expect(await store.idsOlderThan(T0)).toEqual([]);
      expect(sorted(await store.idsOlderThan(T0 + 100 * DAY))).toEqual(sorted(spread.map((r) => r.id)));
    });

    it('lists every id oldest first', async () => {
      const store = await fresh();
      // Inserted newest first, so that insertion order cannot pass for age.
      await store.upsert([...spread].reverse());
      expect(await store.idsByAge()).toEqual(spread.map((r) => r.id));
      // A replaced record moves with its new date.
      await store.upsert([record('n1', [...query], { date: T0 + 10 * DAY })]);
      expect((await store.idsByAge()).at(-1)).toBe('n1');
      expect(await store.idsOlderThan(T0 + DAY)).toEqual([]);
    });

    it('answers an empty store with nothing', async () => {
      const store = await fresh();
      expect(await store.query(query, 10)).toEqual([]);
      expect(await store.query(query, 10, { kinds: ['news'], since: T0 })).toEqual([]);
      expect(await store.count()).toBe(0);
      expect(await store.idsByAge()).toEqual([]);
      expect(await store.idsOlderThan(T0 + DAY)).toEqual([]);
      await store.delete(['nothing']);
    });

    it('works with 768-dimension vectors', async () => {
      const store = await fresh();
      const base = unitVector(7, 768);
      const records = Array.from({ length: 60 }, (_, i) =>
        record(`r${i}`, atCosine(base, 0.9 - i * 0.01, 1000 + i), {
          kind: i % 2 ? 'email' : 'news',
          date: T0 + i * DAY,
        }),
      );
      records.push(record('exact', [...base], { kind: 'news', date: T0 + 100 * DAY }));
      await store.upsert(records);
      expect(store.dimensions).toBe(768);
      expect(await store.count()).toBe(61);
      const hits = await store.query(base, 5);
      expect(ids(hits)).toEqual(['exact', 'r0', 'r1', 'r2', 'r3']);
      expectClose(hits[0]?.score, 1);
      expectClose(hits[1]?.score, 0.9);
      const emails = await store.query(base, 3, { kinds: ['email'], until: T0 + 30 * DAY });
      expect(ids(emails)).toEqual(['r1', 'r3', 'r5']);
      expectClose(emails[2]?.score, 0.85);
    });

    it('hands back stored vectors by record id, leaving out ids it does not hold', async () => {
      const store = await fresh();
      const a = unitVector(11);
      const b = unitVector(12);
      await store.upsert([record('va', a, { kind: 'news' }), record('vb', b, { kind: 'email' })]);
      const got = await store.vectors(['va', 'vb', 'missing', 'va']);
      expect([...got.keys()].sort()).toEqual(['va', 'vb']);
      // float32 storage: equal to the written vector within float precision
      got.get('va')?.forEach((x, i) => {
        expect(x).toBeCloseTo(a[i] ?? NaN, 5);
      });
      expect(got.get('vb')).toHaveLength(b.length);
      expect((await store.vectors([])).size).toBe(0);
    });

    it('round-trips documents and metadata exactly, with absent optional fields left absent', async () => {
      const store = await fresh();
      const full: MemoryMetadata = {
        kind: 'email',
        source: 'gmail',
        date: T0 + 123,
        itemId: 'gmail:msg-1',
        sender: 'Zoë <zoe@example.com>',
        feed: 'inbox',
        category: 'work',
      };
      const minimal: MemoryMetadata = { kind: 'feedback', source: 'feedback', date: T0 - 5 * DAY, itemId: 'fb-1' };
      const text = 'Subject: Ünïcode "quotes", \'apostrophes\' and emoji 📬\nline two';
      await store.upsert([
        { id: 'full', vector: [...query], document: text, metadata: full },
        { id: 'minimal', vector: atCosine(query, 0.5, 51), document: 'plain', metadata: minimal },
      ]);
      const hits = await store.query(query, 2);
      expect(ids(hits)).toEqual(['full', 'minimal']);
      expect(hits[0]?.document).toBe(text);
      expect(hits[0]?.metadata).toStrictEqual(full);
      expect(hits[1]?.document).toBe('plain');
      expect(hits[1]?.metadata).toStrictEqual(minimal);
      for (const key of ['sender', 'feed', 'category']) expect(hits[1]?.metadata).not.toHaveProperty(key);
    });

    it('knows its dimensions once it holds vectors', async () => {
      const store = await fresh();
      await store.upsert([record('a', [...query])]);
      expect(store.dimensions).toBe(DIMS);
    });

    it.runIf(options.persistent !== undefined)('keeps its data after close() and a reopen', async () => {
      const first = await fresh();
      await first.upsert(spread);
      await first.delete(['b1']);
      await first.close();
      opened.delete(first);
      const reopen = options.persistent;
      if (!reopen) return;
      const second = await reopen();
      opened.add(second);
      expect(await second.count()).toBe(spread.length - 1);
      const hits = await second.query(query, 3, { kinds: ['news'] });
      expect(ids(hits)).toEqual(['n1', 'n2', 'n3']);
      expectClose(hits[0]?.score, 0.95);
      expect(hits[0]?.metadata).toStrictEqual(spread[0]?.metadata);
      expect(await second.idsByAge()).toEqual(spread.map((r) => r.id).filter((id) => id !== 'b1'));
      await second.upsert([record('late', [...query], { date: T0 + 9 * DAY })]);
      expect(await second.count()).toBe(spread.length);
    });
  });
}
