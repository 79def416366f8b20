/**
 * The vectors the latest brief was ranked with (its candidates and the voted items), so a vote can
 * re-rank by meaning at once without opening the memory. Replaced with each brief; never more than that.
 * Shipped: never edit it; add the next number.
 */
export const description =
  'the vectors the latest brief was ranked with, so a vote re-ranks by meaning without opening the memory';

export const sql = `
  CREATE TABLE rank_vectors (
    item_id  TEXT PRIMARY KEY,
    vector   BLOB NOT NULL
  ) WITHOUT ROWID;
  `;
