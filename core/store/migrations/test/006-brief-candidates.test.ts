import { describe, expect, it } from 'vitest';
import { BRIEF_ID, expectRowsSurvive, rows, upgradeTo } from './fixtures.ts';

describe('migration 6: what each brief was ranked from', () => {
  it('adds an empty candidates table keyed by brief and item, and leaves every row as it was', () => {
    const { db, before } = upgradeTo(6);
    expectRowsSurvive(before, db);
    // Briefs written before have no candidates: a vote on them re-ranks nothing rather than guessing.
    expect(rows(db, 'brief_candidates')).toEqual([]);
    const insert = db.prepare('INSERT INTO brief_candidates (brief_id, item_id, base, stale) VALUES (?, ?, ?, ?)');
    insert.run(BRIEF_ID, 'rss:x', 0.5, 0);
    expect(() => insert.run(BRIEF_ID, 'rss:x', 0.7, 1)).toThrow(/UNIQUE/);
    expect(() => insert.run(BRIEF_ID, 'rss:y', null, 0)).toThrow(/NOT NULL/);
  });
});
