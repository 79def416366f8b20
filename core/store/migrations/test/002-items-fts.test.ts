import { describe, expect, it } from 'vitest';
import { ITEMS, expectRowsSurvive, upgradeTo } from './fixtures.ts';

describe('migration 2: keyword search over items', () => {
  it('indexes the items already stored, keyed by their rowid, and leaves every row as it was', () => {
    const { db, before } = upgradeTo(2);
    expectRowsSurvive(before, db);
    const match = (query: string): string[] =>
      db
        .prepare<[string], { id: string }>(
          `SELECT i.id FROM items_fts f JOIN items i ON i.rowid = f.rowid WHERE items_fts MATCH ? ORDER BY i.rowid`,
        )
        .all(query)
        .map((r) => r.id);
    // Title, body, author and origin are all searchable; the porter stemmer finds "running" from "run".
    expect(match('invoice')).toEqual([ITEMS[0]?.id]);
    expect(match('settle')).toEqual([ITEMS[0]?.id]);
    expect(match('drh')).toEqual([ITEMS[3]?.id]);
    expect(match('"Example Finance"')).toEqual([ITEMS[2]?.id]);
    expect(match('run')).toEqual([ITEMS[2]?.id]);
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM items_fts').get()?.n).toBe(ITEMS.length);
  });
});
