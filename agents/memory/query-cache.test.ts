import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../core/store/store.ts';
import { QueryEmbeddingCache } from './query-cache.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(): { store: Store; clock: { now: number }; cache: QueryEmbeddingCache } {
  const dir = mkdtempSync(join(tmpdir(), 'db-qcache-'));
  dirs.push(dir);
  const store = Store.open(dir);
  const clock = { now: Date.parse('2026-12-01T06:00:00Z') };
  return { store, clock, cache: new QueryEmbeddingCache(store, () => clock.now) };
}

describe('QueryEmbeddingCache', () => {
  it('gives back a vector by model and text, exactly, and survives a reopen', () => {
    const { store, clock, cache } = open();
    cache.put('nomic-embed-text', 'Northwind review', [0.1, -0.25, 1 / 3]);
    expect(cache.get('nomic-embed-text', 'Northwind review')).toEqual([0.1, -0.25, 1 / 3]);
    expect(cache.get('other-model', 'Northwind review')).toBeUndefined();
    expect(cache.get('nomic-embed-text', 'Northwind Review')).toBeUndefined();
    expect(new QueryEmbeddingCache(store, () => clock.now).get('nomic-embed-text', 'Northwind review')).toHaveLength(3);
    store.close();
  });

  it('forgets queries unused for a month, and keeps one that was asked again', () => {
    const { store, clock, cache } = open();
    cache.put('m', 'weekly stand-up', [1]);
    cache.put('m', 'one-off offsite', [2]);
    clock.now += 20 * 86_400_000;
    expect(cache.get('m', 'weekly stand-up')).toEqual([1]);
    clock.now += 15 * 86_400_000;
    expect(cache.prune()).toBe(1);
    expect(cache.get('m', 'weekly stand-up')).toEqual([1]);
    expect(cache.get('m', 'one-off offsite')).toBeUndefined();
    store.close();
  });
});
