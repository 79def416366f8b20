import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';

/**
 * One refresh at a time per data folder, whichever process runs it (CLI, serve, daemon, the desktop app): a
 * lease row in the database, taken and checked in one `BEGIN IMMEDIATE` transaction, so two processes can
 * never both believe they hold it. A lease whose process is gone (kill -9, power loss) is free.
 */
const LEASE_KEY = 'refresh:lease';
export const INTERRUPTED = 'interrupted before it finished';

export interface LeaseOwner {
  pid: number;
  token: string;
  startedAt: string;
}

export interface InterruptedRun {
  id: string;
  trigger: string;
  startedAt: string;
}

/** Whether a process runs (on this machine, under any user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(db: Db): LeaseOwner | undefined {
  const row = db.prepare<[string], { value_json: string }>('SELECT value_json FROM kv WHERE key = ?').get(LEASE_KEY);
  if (!row) return undefined;
  const owner = JSON.parse(row.value_json) as LeaseOwner;
  return alive(owner.pid) ? owner : undefined;
}

/** Who refreshes now, if a live process does. */
export function leaseOwner(db: Db): LeaseOwner | undefined {
  return readOwner(db);
}

/**
 * Takes the lease if no live process holds it. Runs still marked running then belong to no one: they were cut
 * off, and are marked interrupted in the same transaction. Returns a release function, or undefined when busy.
 */
export function tryLease(db: Db, now: string): (() => void) | undefined {
  const token = randomUUID();
  const taken = db
    .transaction(() => {
      if (readOwner(db)) return false;
      db.prepare(`UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running'`).run(
        now,
        INTERRUPTED,
      );
      db.prepare(
        `INSERT INTO kv (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      ).run(LEASE_KEY, JSON.stringify({ pid: process.pid, token, startedAt: now } satisfies LeaseOwner), now);
      return true;
    })
    .immediate();
  if (!taken) return undefined;
  return () => {
    if (!db.open) return;
    db.transaction(() => {
      const row = db
        .prepare<[string], { value_json: string }>('SELECT value_json FROM kv WHERE key = ?')
        .get(LEASE_KEY);
      if (row && (JSON.parse(row.value_json) as LeaseOwner).token === token) {
        db.prepare('DELETE FROM kv WHERE key = ?').run(LEASE_KEY);
      }
    }).immediate();
  };
}

/** Marks runs left running by a process that is gone, when no refresh is under way. */
export function recoverInterrupted(db: Db, now: string): void {
  tryLease(db, now)?.();
}

/**
 * The last refresh that was cut off, if any (for doctor and the status view): one marked interrupted, or one
 * still marked running that no live process is running (read-only callers see it before it is marked).
 */
export function lastInterrupted(db: Db): InterruptedRun | undefined {
  const orphan = readOwner(db)
    ? undefined
    : db
        .prepare<[], InterruptedRun>(
          `SELECT id, trigger, started_at AS startedAt FROM runs WHERE status = 'running' ORDER BY rowid DESC LIMIT 1`,
        )
        .get();
  return (
    orphan ??
    db
      .prepare<[string], InterruptedRun>(
        `SELECT id, trigger, started_at AS startedAt FROM runs WHERE status = 'failed' AND error = ?
         ORDER BY rowid DESC LIMIT 1`,
      )
      .get(INTERRUPTED)
  );
}

/** Waits until no live process holds the lease (polled: another process's commit cannot be watched). */
export async function waitForLease(db: Db, signal: AbortSignal, pollMs = 150): Promise<void> {
  const { setTimeout: sleep } = await import('node:timers/promises');
  while (readOwner(db)) {
    signal.throwIfAborted();
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
  signal.throwIfAborted();
}
