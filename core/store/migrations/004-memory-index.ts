/**
 * What the memory holds, whatever the vector back end: one row per record, with the hash of the
 * embedded text (unchanged text is never embedded twice) and whether its vector is still owed.
 * Shipped: never edit it; add the next number.
 */
export const description =
  'what the memory holds, whatever the vector back end: one row per record with its embedded-text hash and state';

export const sql = `
  CREATE TABLE memory_index (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    date          INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    document      TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    model         TEXT,
    state         TEXT NOT NULL,      -- embedded | pending
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX memory_index_state ON memory_index (state);
  CREATE INDEX memory_index_date ON memory_index (date);
  `;
