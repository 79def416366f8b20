import * as foundation from './001-foundation.ts';
import * as itemsFts from './002-items-fts.ts';
import * as itemOkRun from './003-item-ok-run.ts';
import * as memoryIndex from './004-memory-index.ts';
import * as itemTime from './005-item-time.ts';
import * as briefCandidates from './006-brief-candidates.ts';
import * as rankVectors from './007-rank-vectors.ts';
import * as briefOriginal from './008-brief-original.ts';

export interface Migration {
  /** One line: what this version adds. */
  readonly description: string;
  /** Run in one transaction; its CREATE statements are kept verbatim in sqlite_master. */
  readonly sql: string;
}

/**
 * Every schema version in order: `PRAGMA user_version` = N means the first N have run. Append-only:
 * a shipped migration is never edited, reordered or removed, because databases in the field already ran it.
 */
export const MIGRATIONS: readonly Migration[] = [
  foundation,
  itemsFts,
  itemOkRun,
  memoryIndex,
  itemTime,
  briefCandidates,
  rankVectors,
  briefOriginal,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
