import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';
import { alive } from './lease.ts';

/**
 * Which processes keep the schedule of a data folder (`daemon`, `serve`, the desktop app), so that another front end
 * on the same folder (`serve --no-schedule`) knows whether `schedule.dailyAt` means anything. One kv row per running
 * scheduler, like the refresh lease: a row whose process is gone (kill -9, power loss) counts for nothing and is
 * cleared by the next scheduler that starts.
 */
const PREFIX = 'schedule-keeper:';

interface Keeper {
  pid: number;
  startedAt: string;
}

function keepers(db: Db): { key: string; keeper: Keeper }[] {
  // Every key that starts with PREFIX, as a range of the primary key: ';' is the character after ':'.
  return db
    .prepare<[string, string], { key: string; value_json: string }>(
      'SELECT key, value_json FROM kv WHERE key >= ? AND key < ?',
    )
    .all(PREFIX, `${PREFIX.slice(0, -1)};`)
    .map((row) => ({ key: row.key, keeper: JSON.parse(row.value_json) as Keeper }));
}

/** Whether a live process keeps the schedule of this data folder. */
export function scheduleKept(db: Db): boolean {
  return keepers(db).some(({ keeper }) => alive(keeper.pid));
}

/** Says that this process keeps the schedule until the returned function is called (on stop). */
export function keepSchedule(db: Db, now: string): () => void {
  const key = `${PREFIX}${randomUUID()}`;
  db.transaction(() => {
    for (const gone of keepers(db).filter(({ keeper }) => !alive(keeper.pid))) {
      db.prepare('DELETE FROM kv WHERE key = ?').run(gone.key);
    }
    db.prepare('INSERT INTO kv (key, value_json, updated_at) VALUES (?, ?, ?)').run(
      key,
      JSON.stringify({ pid: process.pid, startedAt: now } satisfies Keeper),
      now,
    );
  }).immediate();
  return () => {
    if (db.open) db.prepare('DELETE FROM kv WHERE key = ?').run(key);
  };
}
