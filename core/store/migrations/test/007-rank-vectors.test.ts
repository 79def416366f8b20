import { describe, expect, it } from 'vitest';
import { expectRowsSurvive, rows, upgradeTo } from './fixtures.ts';

describe('migration 7: the vectors the latest brief was ranked with', () => {
  it('adds an empty vector table that keeps float32 blobs exactly, and leaves every row as it was', () => {
    const { db, before } = upgradeTo(7);
    expectRowsSurvive(before, db);
    expect(rows(db, 'rank_vectors')).toEqual([]);
    const vector = new Float32Array([0.1, -2.5, 3e-7]);
    db.prepare('INSERT INTO rank_vectors (item_id, vector) VALUES (?, ?)').run('rss:x', Buffer.from(vector.buffer));
    const stored = db.prepare<[], { vector: Buffer }>('SELECT vector FROM rank_vectors').get()?.vector;
    expect(stored && new Float32Array(stored.buffer, stored.byteOffset, stored.byteLength / 4)).toEqual(vector);
  });
});
