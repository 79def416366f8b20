import type { Candidate, FeedbackAction, FeedbackEvent, ItemSnapshot, MuteScope } from '../feedback.ts';
import type { Item } from '../types.ts';
import type { Db } from './database.ts';

/** What is kept of an event besides its time, item and action (the `snapshot` column's JSON). */
interface StoredSnapshot {
  item: ItemSnapshot;
  scope?: MuteScope;
  value?: string;
}

/** What a brief was ranked from, kept with it so a vote can re-rank it the same way. */
export interface RankingInputs {
  candidates?: { itemId: string; base: number; stale: boolean }[];
  /** Item vectors from memory, when it had them. */
  vectors?: [string, number[]][];
}

/**
 * The feedback log (append-only: the table's triggers refuse updates and deletes) and the candidates each
 * brief was ranked from. The preference model is rebuilt from `events()`; nothing else is its source.
 */
export class FeedbackLog {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  append(event: Omit<FeedbackEvent, 'seq'>): FeedbackEvent {
    const stored: StoredSnapshot = { item: event.snapshot };
    if (event.scope) stored.scope = event.scope;
    if (event.value) stored.value = event.value;
    const result = this.db
      .prepare('INSERT INTO feedback_events (at, item_id, action, snapshot) VALUES (?, ?, ?, ?)')
      .run(event.at, event.itemId, event.action, JSON.stringify(stored));
    return { ...event, seq: Number(result.lastInsertRowid) };
  }

  /** Events after `afterSeq`, in log order. */
  events(afterSeq = 0): FeedbackEvent[] {
    const rows = this.db
      .prepare<[number], { seq: number; at: string; item_id: string; action: FeedbackAction; snapshot: string }>(
        'SELECT seq, at, item_id, action, snapshot FROM feedback_events WHERE seq > ? ORDER BY seq',
      )
      .all(afterSeq);
    return rows.map((row) => {
      const stored = JSON.parse(row.snapshot) as StoredSnapshot;
      const event: FeedbackEvent = {
        seq: row.seq,
        at: row.at,
        itemId: row.item_id,
        action: row.action,
        snapshot: stored.item,
      };
      if (stored.scope) event.scope = stored.scope;
      if (stored.value) event.value = stored.value;
      return event;
    });
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM feedback_events').get()?.n ?? 0;
  }

  /** Written in the brief's own transaction (see Store.saveBrief). */
  saveCandidates(briefId: string, candidates: { itemId: string; base: number; stale: boolean }[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO brief_candidates (brief_id, item_id, base, stale) VALUES (?, ?, ?, ?)',
    );
    for (const c of candidates) insert.run(briefId, c.itemId, c.base, c.stale ? 1 : 0);
  }

  replaceRankVectors(vectors: [string, number[]][]): void {
    this.db.prepare('DELETE FROM rank_vectors').run();
    const insert = this.db.prepare('INSERT OR REPLACE INTO rank_vectors (item_id, vector) VALUES (?, ?)');
    for (const [id, vector] of vectors) insert.run(id, Buffer.from(new Float32Array(vector).buffer));
  }

  rankVectors(): Map<string, number[]> {
    const rows = this.db
      .prepare<[], { item_id: string; vector: Buffer }>('SELECT item_id, vector FROM rank_vectors')
      .all();
    return new Map(
      rows.map((r) => [
        r.item_id,
        Array.from(new Float32Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength / 4)),
      ]),
    );
  }

  candidates(briefId: string): Candidate[] {
    return this.db
      .prepare<[string], { json: string; base: number; stale: number }>(
        `SELECT i.json, c.base, c.stale FROM brief_candidates c JOIN items i ON i.id = c.item_id
         WHERE c.brief_id = ? ORDER BY c.base DESC, c.item_id`,
      )
      .all(briefId)
      .map((r) => ({ item: JSON.parse(r.json) as Item, base: r.base, stale: r.stale === 1 }));
  }
}
