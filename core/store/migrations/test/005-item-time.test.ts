import { describe, expect, it } from 'vitest';
import { FIRST_SEEN, ITEMS, expectRowsSurvive, rows, upgradeTo } from './fixtures.ts';

describe("migration 5: an item's own time as a column", () => {
  it('fills it from the start, else the published time, else first seen, and leaves every row as it was', () => {
    const { db, before } = upgradeTo(5);
    expectRowsSurvive(before, db);
    expect(rows(db, 'items', ['id', 'item_at'])).toEqual([
      { id: ITEMS[0]?.id, item_at: ITEMS[0]?.publishedAt },
      // An event with both: its start wins.
      { id: ITEMS[1]?.id, item_at: ITEMS[1]?.start },
      { id: ITEMS[2]?.id, item_at: ITEMS[2]?.publishedAt },
      { id: ITEMS[3]?.id, item_at: ITEMS[3]?.publishedAt },
      { id: ITEMS[4]?.id, item_at: FIRST_SEEN },
    ]);
    const plan = (sql: string): string =>
      db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((p) => p.detail)
        .join(' ');
    expect(plan(`SELECT json FROM items WHERE kind = 'news' AND item_at >= '2026' ORDER BY item_at`)).toMatch(
      /items_kind_at/,
    );
    expect(plan(`SELECT json FROM items WHERE item_at >= '2026' ORDER BY item_at DESC`)).toMatch(/items_at/);
  });
});
