import { describe, expect, it } from 'vitest';
import { Store } from '../../store.ts';
import { SCHEMA_VERSION } from '../index.ts';
import { BRIEF, BRIEF_ID, ITEMS, expectRowsSurvive, rows, upgradeTo } from './fixtures.ts';

describe('migration 8: a brief as it was written', () => {
  it('leaves earlier briefs with no separate original, so each is its own original, and every row as it was', () => {
    const { db, before } = upgradeTo(8);
    expectRowsSurvive(before, db);
    expect(rows(db, 'briefs', ['id', 'original_json'])).toEqual([{ id: BRIEF_ID, original_json: null }]);
    expect(SCHEMA_VERSION).toBe(8);

    // The app of today reads the upgraded database as if it had written it.
    const store = new Store(db);
    expect(store.latestBrief()).toEqual(BRIEF);
    expect(store.originalBrief(BRIEF_ID)).toEqual(BRIEF);
    expect(store.searchItems('invoice').map((i) => i.id)).toEqual([ITEMS[0]?.id]);
    // The item last seen by a failed run is not part of the fallback.
    expect(store.lastGoodItems('gmail').items.map((i) => i.id)).toEqual([ITEMS[0]?.id]);
    expect(store.sourceHealth().map((h) => [h.id, h.status, h.lastError])).toEqual([
      ['gmail', 'ok', undefined],
      ['rss', 'error', 'feed answered 503'],
    ]);
    expect(store.feedback.events().map((e) => [e.seq, e.action, e.scope])).toEqual([
      [1, 'up', undefined],
      [2, 'mute', 'topic'],
    ]);
    expect(store.feedback.candidates(BRIEF_ID).map((c) => [c.item.id, c.stale])).toEqual([
      [ITEMS[0]?.id, false],
      [ITEMS[2]?.id, true],
    ]);

    // A vote's re-rank keeps the brief as written.
    store.replaceBrief({ ...BRIEF, tldr: [] });
    expect(store.originalBrief(BRIEF_ID)).toEqual(BRIEF);
    expect(store.latestBrief()?.tldr).toEqual([]);
  });
});
