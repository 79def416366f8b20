/**
 * The run whose brief last committed an item. Items are stored as soon as they are fetched (the
 * reasoner reads them), but only a committed brief makes them the "last good" set for stale fallback.
 * Shipped: never edit it; add the next number.
 */
export const description =
  'the run whose brief last committed an item, so only a committed brief makes items the "last good" set';

export const sql = `
  ALTER TABLE items ADD COLUMN ok_run_id TEXT;
  UPDATE items SET ok_run_id = last_run_id;
  CREATE INDEX items_source_ok ON items (source, ok_run_id);
  `;
