import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../contract/events.ts';
import { fakeConnector, newsItem } from '../test/helpers/fake-connectors.ts';
import { AppRuntime } from './runtime.ts';

const dirs: string[] = [];
const runtimes: AppRuntime[] = [];
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function settingsFile(dir: string, dailyAt: string): void {
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({
      location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: 'UTC' },
      schedule: { dailyAt },
    }),
  );
}

function started(options: { invalidAtStart?: 'fail' | 'defaults'; schedule?: boolean; desktop?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'db-runtime-'));
  dirs.push(dir);
  const lines: string[] = [];
  const events: AppEvent[] = [];
  const news = fakeConnector('wire', { items: [newsItem('wire', 1)] });
  const start = () =>
    AppRuntime.start({
      dataDir: dir,
      memory: false,
      connectors: [news.connector],
      // No catch-up refresh: these tests are about settings.
      schedule: false,
      watchSettings: true,
      report: (line) => lines.push(line),
      ...options,
    });
  return { dir, lines, events, start, news };
}

describe('AppRuntime and settings.json', () => {
  it('applies a valid edit of the file, keeps the last good settings on a bad one, and says so once', async () => {
    const t = started();
    settingsFile(t.dir, '06:30');
    const runtime = await t.start();
    runtimes.push(runtime);
    runtime.subscribe((e) => t.events.push(e));
    expect(runtime.settingsNow().settings.schedule.dailyAt).toBe('06:30');

    writeFileSync(join(t.dir, 'settings.json'), '{ "schedule": ');
    await expect.poll(() => t.events.filter((e) => e.type === 'settings-invalid').length).toBe(1);
    expect(runtime.settingsNow().settings.schedule.dailyAt).toBe('06:30');
    expect(t.lines.filter((l) => l.startsWith('settings not applied:'))).toHaveLength(1);
    expect(t.lines.at(-1)).not.toContain('\n');

    settingsFile(t.dir, '07:45');
    await expect.poll(() => runtime.settingsNow().settings.schedule.dailyAt).toBe('07:45');
    expect(t.events.at(-1)).toMatchObject({ type: 'settings-applied' });

    // An invalid field is the same story: reported, last good kept.
    settingsFile(t.dir, '25:00');
    await expect.poll(() => t.events.filter((e) => e.type === 'settings-invalid').length).toBe(2);
    expect(runtime.settingsNow().settings.schedule.dailyAt).toBe('07:45');
    // Calls go on meanwhile, on the last good settings.
    expect(await runtime.dispatch('sources/status', {})).toMatchObject({ ok: true });
  });

  it('re-reads the file on SIGHUP and never throws from it', async () => {
    const t = started();
    settingsFile(t.dir, '06:30');
    const runtime = await t.start();
    runtimes.push(runtime);
    // The watcher sees the write as well; whichever reads it first, a bad file is reported and never thrown.
    writeFileSync(join(t.dir, 'settings.json'), 'not json');
    process.emit('SIGHUP');
    await expect.poll(() => t.lines.some((l) => l.startsWith('settings not applied:'))).toBe(true);
    expect(runtime.settingsNow().settings.schedule.dailyAt).toBe('06:30');
  });

  it('replays a standing settings problem to a listener that comes later (a window that loads late)', async () => {
    const t = started({ invalidAtStart: 'defaults' });
    writeFileSync(join(t.dir, 'settings.json'), '[');
    const runtime = await t.start();
    runtimes.push(runtime);
    const late: AppEvent[] = [];
    runtime.subscribe((e) => late.push(e));
    expect(late[0]).toMatchObject({ type: 'settings-invalid' });
    expect(runtime.settingsNow().fromFile).toBe(false);
  });

  it('refuses to start on an invalid file when told to (the daemon), in one line', async () => {
    const t = started({ invalidAtStart: 'fail' });
    writeFileSync(join(t.dir, 'settings.json'), '{ "schedule": { "dailyAt": "noon" } }');
    await expect(t.start()).rejects.toThrow(/schedule\.dailyAt/);
  });

  it('tells the settings screen what applies where it runs: the schedule, and starting at login', async () => {
    const t = started();
    const browser = await t.start();
    runtimes.push(browser);
    // `serve --no-schedule`, or the sample day: nothing here writes a brief at a set time.
    expect((await browser.api['settings/get']({})).here).toEqual({ desktop: false, schedule: false });
    const oneShot = AppRuntime.open({ dataDir: t.dir, memory: false });
    expect((await oneShot.api['settings/get']({})).here).toEqual({ desktop: false, schedule: false });
    await oneShot.stop();

    const d = started({ schedule: true, desktop: true });
    settingsFile(d.dir, '06:30');
    const desktop = await d.start();
    runtimes.push(desktop);
    expect((await desktop.api['settings/get']({})).here).toEqual({ desktop: true, schedule: true });
  });

  it('shows the schedule where another process on the same folder keeps it (a daemon beside `serve --no-schedule`)', async () => {
    const t = started();
    settingsFile(t.dir, '06:30');
    const browser = await t.start();
    runtimes.push(browser);
    const here = async () => (await browser.api['settings/get']({})).here;
    expect(await here()).toEqual({ desktop: false, schedule: false });

    // The daemon: the same data folder, with the schedule on (another runtime; the daemon is one too).
    const daemon = await AppRuntime.start({ dataDir: t.dir, memory: false, connectors: [t.news.connector] });
    expect(await here()).toEqual({ desktop: false, schedule: true });
    // A one-off command sees it too.
    const oneShot = AppRuntime.open({ dataDir: t.dir, memory: false });
    expect((await oneShot.api['settings/get']({})).here).toEqual({ desktop: false, schedule: true });
    await oneShot.stop();

    await daemon.stop();
    expect(await here()).toEqual({ desktop: false, schedule: false });
  });
});
