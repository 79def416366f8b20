/**
 * Keyword search over items, for the reasoner's tools (and the fallback when embeddings are down).
 * Shipped: never edit it; add the next number.
 */
export const description =
  "keyword search over items (FTS5, keyed by item rowid) for the reasoner's tools and the fallback when embeddings are down";

export const sql = `
  -- Keyed by the items' rowid, so updating one item's entry is an index lookup, not a scan.
  CREATE VIRTUAL TABLE items_fts USING fts5(title, text, tokenize = 'porter unicode61');
  INSERT INTO items_fts (rowid, title, text)
    SELECT rowid, json_extract(json, '$.title'),
      coalesce(json_extract(json, '$.snippet'), '') || ' ' || coalesce(json_extract(json, '$.body'), '') || ' ' ||
      coalesce(json_extract(json, '$.author'), '') || ' ' || coalesce(json_extract(json, '$.origin'), '')
    FROM items;
  `;
