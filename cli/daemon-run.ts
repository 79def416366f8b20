import type { Clock } from '../core/clock.ts';
import { Scheduler, type ScheduledRun } from '../app/scheduler.ts';
import type { BriefService } from '../app/service.ts';
import type { LoadedSettings } from '../core/settings.ts';
import { localDate, localTime } from '../core/time.ts';

export interface DaemonOptions {
  service: BriefService;
  /** Read again on SIGHUP, so a changed schedule applies without a restart. */
  loadSettings: () => Promise<LoadedSettings>;
  /** Aborting it stops the daemon: timers off, a running refresh cancelled, the store closed. */
  stop: AbortSignal;
  /** Re-reads the settings each time it fires. */
  reload?: EventTarget;
  out: (line: string) => void;
  clock?: Clock;
}

function when(at: Date | string, zone: string): string {
  return `${localDate(at, zone)} ${localTime(at, zone)}`;
}

/** The desktop app's schedule without a window: `daily-brief daemon`. Resolves once stopped. */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const { service, out } = options;
  let { settings } = await options.loadSettings();
  const refreshing = new AbortController();
  const report = (run: ScheduledRun) => {
    const zone = settings.location.timezone;
    if (run.ok) {
      out(`brief ready (${run.trigger}): ${run.brief.date}, data as of ${when(run.brief.dataAsOf, zone)}`);
    } else out(`refresh failed (${run.trigger}): ${run.error}`);
    announceNext();
  };
  const scheduler = new Scheduler({
    schedule: settings.schedule,
    timezone: settings.location.timezone,
    refresh: (trigger) => service.refresh({ trigger, signal: refreshing.signal }),
    state: service.state,
    latestBriefAt: () => service.latestBrief()?.generatedAt,
    onRun: report,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const announceNext = () => {
    const next = scheduler.nextRunAt();
    if (next) out(`next refresh at ${when(next, settings.location.timezone)} (${settings.location.timezone})`);
  };
  const onReload = () => {
    void options.loadSettings().then(
      (loaded) => {
        settings = loaded.settings;
        scheduler.update(settings.schedule, settings.location.timezone);
        out('settings reloaded');
        announceNext();
      },
      (error: unknown) => {
        out(`settings not reloaded: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
  options.reload?.addEventListener('reload', onReload);
  const stopped = new Promise<void>((resolve) => {
    if (options.stop.aborted) resolve();
    else
      options.stop.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
  });
  out(`daily-brief daemon: daily at ${settings.schedule.dailyAt}${interval(settings)} (${settings.location.timezone})`);
  // A catch-up may be running when the stop comes: it is aborted and awaited below.
  void scheduler.start();
  announceNext();
  await stopped;
  options.reload?.removeEventListener('reload', onReload);
  refreshing.abort(new Error('the daemon is stopping'));
  await scheduler.stop();
  service.close();
  out('stopped');
}

function interval(settings: LoadedSettings['settings']): string {
  const every = settings.schedule.everyMinutes;
  return every ? ` and every ${every} min` : '';
}
