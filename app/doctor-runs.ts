import { describeError } from '../core/errors.ts';
import { databaseExists, openDatabase } from '../core/store/database.ts';
import { lastInterrupted, leaseOwner } from '../core/store/lease.ts';
import type { DoctorCheck } from '../contract/results.ts';

/** A refresh under way, or the last one that was cut off (kill -9, crash, power loss): named, never hidden. */
export function checkRefreshes(dataDir: string): DoctorCheck {
  const base = { id: 'refresh', title: 'Refreshes' };
  if (!databaseExists(dataDir)) return { ...base, status: 'ok', detail: 'No refresh has run yet' };
  let db;
  try {
    db = openDatabase(dataDir, { readonly: true });
    const owner = leaseOwner(db);
    const last = lastInterrupted(db);
    const running = owner ? `A refresh is under way (process ${owner.pid}). ` : '';
    if (!last) return { ...base, status: 'ok', detail: `${running}No refresh was interrupted` };
    return {
      ...base,
      status: 'warn',
      detail: `${running}The last interrupted refresh started ${last.startedAt} (${last.trigger}, ${last.id}); the brief before it is still served`,
      fix: 'Run `daily-brief refresh` for a new brief',
    };
  } catch (error) {
    // The database check reports an unreadable database, with what to do.
    return { ...base, status: 'skip', detail: `Not checked (${describeError(error)})` };
  } finally {
    db?.close();
  }
}
