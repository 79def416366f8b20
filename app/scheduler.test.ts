import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeConnector, newsItem } from '../test/helpers/fake-connectors.ts';
import {
  LAST_RUN_KEY,
  missedSlot,
  Scheduler,
  type ScheduledRun,
  type ScheduledTrigger,
  type ScheduleState,
} from './scheduler.ts';
import { BriefService } from './service.ts';
import { parseSettings } from '../core/settings.ts';
import type { Brief } from '../core/types.ts';

const ZONE = 'Europe/Berlin'; // UTC+1 in December, UTC+2 in summer

function memoryState(initial: Record<string, unknown> = {}): ScheduleState & { values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial));
  return { values, getValue: (key) => values.get(key), putValue: (key, value) => values.set(key, value) };
}

function fakeRefresh() {
  const calls: ScheduledTrigger[] = [];
  let fail: string | undefined;
  const refresh = (trigger: ScheduledTrigger): Promise<Brief> => {
    calls.push(trigger);
    if (fail) return Promise.reject(new Error(fail));
    return Promise.resolve({ id: `brief-${calls.length}`, dataAsOf: new Date().toISOString() } as Brief);
  };
  return { calls, refresh, failWith: (message: string | undefined) => (fail = message) };
}

describe('missedSlot', () => {
  const base = { dailyAt: '06:30', timezone: ZONE };

  it('is today’s slot once it has passed uncovered, and yesterday’s before it', () => {
    expect(missedSlot({ ...base, now: new Date('2026-12-01T08:00:00Z') })?.toISOString()).toBe(
      '2026-12-01T05:30:00.000Z',
    );
    expect(missedSlot({ ...base, now: new Date('2026-12-01T05:00:00Z') })?.toISOString()).toBe(
      '2026-11-30T05:30:00.000Z',
    );
    // Exactly at the slot counts as the slot.
    expect(missedSlot({ ...base, now: new Date('2026-12-01T05:30:00Z') })?.toISOString()).toBe(
      '2026-12-01T05:30:00.000Z',
    );
  });

  it('reads the time in the configured zone, across a DST change', () => {
    // 06:30 in Berlin is 04:30 UTC in summer.
    expect(missedSlot({ ...base, now: new Date('2026-07-01T10:00:00Z') })?.toISOString()).toBe(
      '2026-07-01T04:30:00.000Z',
    );
    expect(
      missedSlot({
        dailyAt: '06:30',
        timezone: 'America/New_York',
        now: new Date('2026-12-01T12:00:00Z'),
      })?.toISOString(),
    ).toBe('2026-12-01T11:30:00.000Z');
  });

  it('is covered by a scheduled run or any brief written at or after the slot', () => {
    const now = new Date('2026-12-01T08:00:00Z');
    expect(missedSlot({ ...base, now, lastRunAt: '2026-12-01T05:30:00.000Z' })).toBeUndefined();
    expect(missedSlot({ ...base, now, latestBriefAt: '2026-12-01T07:10:00.000Z' })).toBeUndefined();
    expect(
      missedSlot({ ...base, now, lastRunAt: '2026-11-30T05:30:00Z', latestBriefAt: '2026-12-01T05:29:59Z' }),
    ).toBeDefined();
  });
});

describe('Scheduler with a fake clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes at the daily time in the user’s zone and remembers the run', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T05:29:40Z') }); // 06:29:40 in Berlin
    const state = memoryState({ [LAST_RUN_KEY]: '2026-11-30T05:30:00.000Z' });
    const { calls, refresh } = fakeRefresh();
    const runs: ScheduledRun[] = [];
    const scheduler = new Scheduler({
      schedule: { dailyAt: '06:30' },
      timezone: ZONE,
      refresh,
      state,
      onRun: (run) => runs.push(run),
    });
    expect(await scheduler.start()).toBeUndefined(); // yesterday's slot was covered: no catch-up
    expect(scheduler.nextRunAt()?.toISOString()).toBe('2026-12-01T05:30:00.000Z');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual(['schedule']);
    expect(runs.map((run) => [run.trigger, run.ok && run.brief.id])).toEqual([['schedule', 'brief-1']]);
    expect(state.values.get(LAST_RUN_KEY)).toBe('2026-12-01T05:30:00.000Z');
    // A resume later that day finds the slot covered.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(await scheduler.catchUp()).toBeUndefined();
    expect(scheduler.nextRunAt()?.toISOString()).toBe('2026-12-02T05:30:00.000Z');
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(calls).toEqual(['schedule']);
  });

  it('catches up once on launch when the daily time passed while the app was closed', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
    const state = memoryState({ [LAST_RUN_KEY]: '2026-11-29T05:30:00.000Z' });
    const { calls, refresh } = fakeRefresh();
    const scheduler = new Scheduler({ schedule: { dailyAt: '06:30' }, timezone: ZONE, refresh, state });
    const launch = scheduler.start();
    const resume = scheduler.catchUp(); // a resume while the catch-up runs joins it
    expect(await resume).toEqual(await launch);
    expect((await launch)?.trigger).toBe('catch-up');
    expect(await scheduler.catchUp()).toBeUndefined();
    expect(calls).toEqual(['catch-up']);
    await scheduler.stop();
  });

  it('does not catch up when a brief was written after the slot (a manual refresh, the CLI)', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
    const { calls, refresh } = fakeRefresh();
    const scheduler = new Scheduler({
      schedule: { dailyAt: '06:30' },
      timezone: ZONE,
      refresh,
      state: memoryState(),
      latestBriefAt: () => '2026-12-01T06:00:00.000Z',
    });
    expect(await scheduler.start()).toBeUndefined();
    expect(calls).toEqual([]);
    await scheduler.stop();
  });

  it('tries a failed run again on the next resume, and reports the failure in one line', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
    const state = memoryState();
    const { calls, refresh, failWith } = fakeRefresh();
    failWith('network down\nstack line');
    const scheduler = new Scheduler({ schedule: { dailyAt: '06:30' }, timezone: ZONE, refresh, state });
    expect(await scheduler.start()).toEqual({ trigger: 'catch-up', ok: false, error: 'network down' });
    expect(state.values.has(LAST_RUN_KEY)).toBe(false);
    failWith(undefined);
    expect((await scheduler.catchUp())?.ok).toBe(true);
    expect(calls).toEqual(['catch-up', 'catch-up']);
    await scheduler.stop();
  });

  it('also refreshes every `everyMinutes`, and re-arms when the settings change', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T09:00:00Z') });
    const { calls, refresh } = fakeRefresh();
    const scheduler = new Scheduler({
      schedule: { dailyAt: '06:30', everyMinutes: 15 },
      timezone: ZONE,
      refresh,
      state: memoryState({ [LAST_RUN_KEY]: '2026-12-01T08:59:00.000Z' }),
    });
    await scheduler.start(); // just refreshed: the interval counts from that run
    await vi.advanceTimersByTimeAsync(13 * 60_000);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(calls).toEqual(['schedule']);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(calls).toEqual(['schedule', 'schedule']);
    // 09:31 UTC now; a daily time of 10:45 Berlin is 09:45 UTC, and the interval is gone.
    scheduler.update({ dailyAt: '10:45' }, ZONE);
    expect(scheduler.nextRunAt()?.toISOString()).toBe('2026-12-01T09:45:00.000Z');
    await vi.advanceTimersByTimeAsync(13 * 60_000);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(calls).toEqual(['schedule', 'schedule', 'schedule']);
    await scheduler.stop();
  });
});

describe('Scheduler and a manual refresh at the same time', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('run one refresh: the second caller joins the first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'db-scheduler-'));
    const slow = fakeConnector('slow', { delayMs: 200, items: [newsItem('slow', 1)] });
    const service = new BriefService({
      dataDir: dir,
      memory: false,
      connectors: [slow.connector],
      settings: {
        settings: parseSettings({ location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: ZONE } }),
        fromFile: true,
        locationSet: true,
      },
    });
    const scheduler = new Scheduler({
      schedule: { dailyAt: '06:30' },
      timezone: ZONE,
      refresh: (trigger) => service.refresh({ trigger }),
      state: service.state,
      latestBriefAt: () => service.latestBrief()?.generatedAt,
    });
    // No brief and no run yet: launching catches up, and the user presses Refresh meanwhile.
    const scheduled = scheduler.start();
    const manual = service.refresh({ trigger: 'ui' });
    const [run, brief] = await Promise.all([scheduled, manual]);
    expect(slow.state.calls).toBe(1);
    expect(slow.state.maxInFlight).toBeLessThanOrEqual(1);
    expect(run?.ok && run.brief.id).toBe(brief.id);
    expect(typeof service.state.getValue(LAST_RUN_KEY)).toBe('string');
    // The run covered today's slot: a resume does nothing.
    expect(await scheduler.catchUp()).toBeUndefined();
    expect(slow.state.calls).toBe(1);
    await scheduler.stop();
    service.close();
  });
});
