import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../contract/envelope.ts';
import type { AppEvent } from '../contract/events.ts';
import type { Brief } from '../core/types.ts';
import { Store } from '../core/store/store.ts';
import { fakeConnector, newsItem } from '../test/helpers/fake-connectors.ts';
import { AppRuntime, type RuntimeOptions } from './runtime.ts';
import type { ScheduledRun } from './scheduler.ts';

const dirs: string[] = [];
const runtimes: AppRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SETTINGS = {
  location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: 'UTC' },
  schedule: { dailyAt: '06:00' },
};

async function started(options: Partial<RuntimeOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'db-sample-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(SETTINGS));
  const wire = fakeConnector('wire', { items: [newsItem('wire', 1), newsItem('wire', 2)] });
  const runtime = await AppRuntime.start({
    dataDir: dir,
    memory: false,
    connectors: [wire.connector],
    schedule: false,
    ...options,
  });
  runtimes.push(runtime);
  const events: AppEvent[] = [];
  runtime.subscribe((event) => events.push(event));
  const call = async <T>(name: string, args: unknown = {}): Promise<T> => {
    const envelope = await runtime.dispatch(name, args);
    if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code}: ${envelope.error.message}`);
    return envelope.value as T;
  };
  return { dir, runtime, events, wire, call };
}

const allItems = (brief: Brief) => brief.sections.flatMap((section) => section.items);

describe('the sample day in a running app', () => {
  it('is shown from its own store, and leaves the user’s brief, votes and settings as they were', async () => {
    const { dir, runtime, events, wire, call } = await started();
    const own = await call<Brief>('refresh', { trigger: 'ui' });
    expect(await call('demo/status')).toEqual({ mode: 'own', canLeave: true });

    expect(await call('demo/enter')).toEqual({ mode: 'sample', canLeave: true });
    expect(events.filter((e) => e.type === 'mode')).toEqual([{ type: 'mode', mode: 'sample', canLeave: true }]);
    // Nothing of the sample day yet: the window writes it, like a first brief.
    expect(await call('brief/latest')).toBeNull();
    const sample = await call<Brief>('refresh', { trigger: 'ui' });
    expect(sample.demo).toBe(true);
    expect(allItems(sample).some((item) => item.source === 'gmail')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'brief-ready', briefId: sample.id, sample: true }));
    // The user's connectors were not asked again: the sample day brings its own.
    expect(wire.state.calls).toBe(1);

    // A vote and the learned preferences are the sample day's.
    const email = allItems(sample).find((item) => item.source === 'gmail');
    await call('feedback', { itemId: email?.id, action: 'up' });
    expect((await call<{ eventCount: number }>('preferences/get')).eventCount).toBe(1);
    // The user's setup answers as theirs, and cannot be changed from here.
    const settings = await call<{ settings: { location: { name: string } } }>('settings/get');
    expect(settings.settings.location.name).toBe('Berlin');
    const refused = await runtime.dispatch('settings/save', { settings: { ...SETTINGS, location: undefined } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'sample_day' } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual(SETTINGS);
    const connect = await runtime.dispatch('accounts/connect', { provider: 'ics', url: 'https://example.com/c.ics' });
    expect(connect).toMatchObject({ ok: false, error: { code: 'sample_day' } });

    expect(await call('demo/leave')).toEqual({ mode: 'own', canLeave: true });
    expect(events.filter((e) => e.type === 'mode').at(-1)).toEqual({ type: 'mode', mode: 'own', canLeave: true });
    const back = await call<Brief>('brief/latest');
    expect(back.id).toBe(own.id);
    expect(allItems(back).every((item) => item.vote === undefined)).toBe(true);
    expect((await call<{ eventCount: number }>('preferences/get')).eventCount).toBe(0);
    expect(await call<unknown[]>('brief/history', { limit: 10 })).toHaveLength(1);
    // Read from the user's store itself, not through the app: no made-up item, no vote, no sample brief.
    const store = Store.open(dir);
    try {
      const counts = store.db
        .prepare(
          "SELECT (SELECT count(*) FROM items WHERE source = 'gmail') AS mail, (SELECT count(*) FROM briefs) AS briefs, " +
            '(SELECT count(*) FROM feedback_events) AS votes',
        )
        .get();
      expect(counts).toEqual({ mail: 0, briefs: 1, votes: 0 });
    } finally {
      store.close();
    }
    expect(existsSync(join(dir, 'demo'))).toBe(true);

    // The sample day is kept for the next visit, vote and all.
    await call('demo/enter');
    const again = await call<Brief>('brief/latest');
    expect(again.id).toBe(sample.id);
    expect(allItems(again).find((item) => item.id === email?.id)?.vote).toBe('up');
  });

  it('keeps the user’s schedule running, whose progress the sample day does not show', async () => {
    let now = new Date('2026-12-01T07:00:00.000Z');
    const runs: ScheduledRun[] = [];
    const t = await started({
      schedule: true,
      clock: { now: () => new Date(now) },
      onScheduledRun: (run) => runs.push(run),
    });
    // 06:00 passed unseen: the catch-up at start writes the user's brief.
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBe(1);
    await t.call('demo/enter');
    await t.call('refresh', { trigger: 'ui' });
    const seen = t.events.length;

    // The next morning, while the sample day is still on screen, the machine wakes after 06:00.
    now = new Date('2026-12-02T06:30:00.000Z');
    t.runtime.resume();
    await expect.poll(() => runs.length, { timeout: 10_000 }).toBe(2);
    const scheduled = runs[1];
    expect(scheduled).toMatchObject({ trigger: 'catch-up', ok: true });
    expect(t.runtime.service.latestBrief()?.date).toBe('2026-12-02');
    expect(t.wire.state.calls).toBe(2);
    // Its new brief is announced (a desktop notification), its progress is not shown over the sample day.
    const during = t.events.slice(seen);
    expect(during.map((e) => e.type)).toEqual(['brief-ready']);
    expect(during[0]).not.toHaveProperty('sample');
    expect((await t.call<Brief>('brief/latest')).demo).toBe(true);

    await t.call('demo/leave');
    expect((await t.call<Brief>('brief/latest')).date).toBe('2026-12-02');
  });

  it('opens onto the user’s own brief after a restart', async () => {
    const t = await started();
    await t.call('demo/enter');
    await t.runtime.stop();
    runtimes.splice(runtimes.indexOf(t.runtime), 1);
    const again = await AppRuntime.start({ dataDir: t.dir, memory: false, connectors: [], schedule: false });
    runtimes.push(again);
    expect(await again.dispatch('demo/status', {})).toEqual({ ok: true, value: { mode: 'own', canLeave: true } });
  });

  it('is all there is in an app started with --demo: no way out, and settings saved in its own store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-sample-only-'));
    dirs.push(dir);
    const runtime = await AppRuntime.start({ dataDir: dir, demo: true, memory: false, schedule: false });
    runtimes.push(runtime);
    const value = (envelope: Envelope) => (envelope.ok ? envelope.value : envelope.error);
    expect(value(await runtime.dispatch('demo/status', {}))).toEqual({ mode: 'sample', canLeave: false });
    expect(value(await runtime.dispatch('demo/enter', {}))).toEqual({ mode: 'sample', canLeave: false });
    expect(value(await runtime.dispatch('demo/leave', {}))).toMatchObject({
      code: 'mode_fixed',
      message: 'this app was started on the sample day only',
    });
    const { settings, saved } = await runtime.api['settings/get']({});
    expect(saved).toBe(false);
    expect(await runtime.api['settings/save']({ settings })).toEqual({ ok: true });
    expect((await runtime.api['settings/get']({})).saved).toBe(true);
    expect(existsSync(join(dir, 'demo', 'settings.json'))).toBe(true);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  });
});
