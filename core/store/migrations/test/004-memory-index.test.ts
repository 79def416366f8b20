import { describe, expect, it } from 'vitest';
import { columnNames, expectRowsSurvive, rows, upgradeTo } from './fixtures.ts';

describe('migration 4: what the memory holds', () => {
  it('adds an empty memory index and leaves every row as it was', () => {
    const { db, before } = upgradeTo(4);
    expectRowsSurvive(before, db);
    expect(columnNames(db, 'memory_index')).toEqual([
      'id',
      'kind',
      'date',
      'content_hash',
      'document',
      'metadata',
      'model',
      'state',
      'updated_at',
    ]);
    // Nothing is recorded as embedded: the memory catches up on the items by itself.
    expect(rows(db, 'memory_index')).toEqual([]);
    db.prepare(
      `INSERT INTO memory_index (id, kind, date, content_hash, document, metadata, state, updated_at)
       VALUES ('brief:1', 'brief', 1, 'h', 'doc', '{}', 'pending', 'now')`,
    ).run();
    expect(rows(db, 'memory_index', ['model', 'state'])).toEqual([{ model: null, state: 'pending' }]);
  });
});
