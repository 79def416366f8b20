import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepSchedule, scheduleKept } from '../schedule-keepers.ts';
import { LAST_RUN_KEY } from '../../../app/scheduler.ts';
import { Store } from '../store.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function opened(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'db-keepers-'));
  dirs.push(dir);
  const store = Store.open(dir);
  stores.push(store);
  return store;
}

const NOW = '2026-12-01T06:00:00.000Z';

/** The id of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  return Number(pid);
}

describe('who keeps the schedule of a data folder', () => {
  it('is known while a process keeps it, and not after it lets go; each keeper lets go of its own word only', () => {
    const store = opened();
    expect(scheduleKept(store.db)).toBe(false);
    const daemon = keepSchedule(store.db, NOW);
    const desktop = keepSchedule(store.db, NOW);
    expect(scheduleKept(store.db)).toBe(true);
    daemon();
    expect(scheduleKept(store.db)).toBe(true);
    desktop();
    expect(scheduleKept(store.db)).toBe(false);
  });

  it('counts a process that is gone (kill -9, power loss) for nothing, and the next keeper clears it away', () => {
    const store = opened();
    const pid = deadPid();
    store.putValue('schedule-keeper:crashed', { pid, startedAt: NOW }, NOW);
    expect(scheduleKept(store.db)).toBe(false);
    const release = keepSchedule(store.db, NOW);
    expect(store.getValue('schedule-keeper:crashed')).toBeUndefined();
    release();
  });

  it("leaves the scheduler's own keys alone", () => {
    const store = opened();
    store.putValue(LAST_RUN_KEY, NOW, NOW);
    keepSchedule(store.db, NOW)();
    expect(scheduleKept(store.db)).toBe(false);
    expect(store.getValue(LAST_RUN_KEY)).toBe(NOW);
  });
});
