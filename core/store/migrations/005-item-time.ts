/**
 * An item's own time (start, else published, else first seen) as a column, so date filters in
 * searches and listings use an index instead of parsing every row's JSON.
 * Shipped: never edit it; add the next number.
 */
export const description =
  "an item's own time (start, else published, else first seen) as an indexed column for date filters";

export const sql = `
  ALTER TABLE items ADD COLUMN item_at TEXT;
  UPDATE items SET item_at = coalesce(json_extract(json, '$.start'), json_extract(json, '$.publishedAt'), first_seen);
  CREATE INDEX items_kind_at ON items (kind, item_at);
  CREATE INDEX items_at ON items (item_at);
  `;
