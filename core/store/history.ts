import type { Db } from './database.ts';
import type { BriefHistoryEntry } from '../types.ts';

export type { BriefHistoryEntry } from '../types.ts';

/** The newest brief of each date, newest date first, with its TL;DR lines (read from the JSON in SQLite). */
export function briefHistory(db: Db, limit: number): BriefHistoryEntry[] {
  const rows = db
    .prepare<[number], { date: string; generatedAt: string; tldr: string | null }>(
      `SELECT b.brief_date AS date, b.generated_at AS generatedAt, json_extract(b.json, '$.tldr') AS tldr
       FROM briefs b JOIN (SELECT max(rowid) AS rowid FROM briefs GROUP BY brief_date) newest ON newest.rowid = b.rowid
       ORDER BY b.brief_date DESC LIMIT ?`,
    )
    .all(limit);
  return rows.map((row) => ({
    date: row.date,
    generatedAt: row.generatedAt,
    tldr: row.tldr ? (JSON.parse(row.tldr) as { text: string }[]).map((bullet) => bullet.text) : [],
  }));
}
