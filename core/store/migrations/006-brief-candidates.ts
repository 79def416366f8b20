/**
 * What each brief was ranked from, so a vote can re-rank it at once without fetching: every candidate
 * item (muted ones too, so an unmute brings them back) with its baseline score and whether it was stale.
 * Shipped: never edit it; add the next number.
 */
export const description =
  'every candidate each brief was ranked from, with its baseline score and staleness, so a vote re-ranks at once';

export const sql = `
  CREATE TABLE brief_candidates (
    brief_id  TEXT NOT NULL,
    item_id   TEXT NOT NULL,
    base      REAL NOT NULL,
    stale     INTEGER NOT NULL,
    PRIMARY KEY (brief_id, item_id)
  ) WITHOUT ROWID;
  `;
