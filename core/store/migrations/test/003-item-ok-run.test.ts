import { describe, expect, it } from 'vitest';
import { ITEMS, RUN_FAILED, RUN_OK, expectRowsSurvive, rows, upgradeTo } from './fixtures.ts';

describe('migration 3: the run whose brief last committed an item', () => {
  it('marks every stored item good as of the run that last saw it, so stale fallback keeps working', () => {
    const { db, before } = upgradeTo(3);
    expectRowsSurvive(before, db);
    expect(rows(db, 'items', ['id', 'last_run_id', 'ok_run_id'])).toEqual(
      ITEMS.map((item, i) => {
        const run = i === 4 ? RUN_FAILED : RUN_OK;
        return { id: item.id, last_run_id: run, ok_run_id: run };
      }),
    );
    // The fallback's query (items of a source from its last good run) is served by the new index.
    const plan = db
      .prepare<[], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT json FROM items WHERE source = 'gmail' AND ok_run_id = 'r'`,
      )
      .all();
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/items_source_ok/);
  });
});
