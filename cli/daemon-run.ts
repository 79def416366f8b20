import type { AppRuntime } from '../app/runtime.ts';
import { joinHint } from '../core/errors.ts';
import { localDate, localTime } from '../core/time.ts';

export interface DaemonOptions {
  /** Started with the schedule on; it reads settings again on SIGHUP and when settings.json changes. */
  runtime: AppRuntime;
  /** Aborting it stops the daemon: timers off, a running refresh cancelled, the store closed. */
  stop: AbortSignal;
  out: (line: string) => void;
}

function when(at: Date | string, zone: string): string {
  return `${localDate(at, zone)} ${localTime(at, zone)}`;
}

const SCHEDULED = new Set(['schedule', 'catch-up']);

/** The desktop app's schedule without a window: `daily-brief daemon`, a terminal's view of the runtime. */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const { runtime, out } = options;
  const zone = () => runtime.settingsNow().settings.location.timezone;
  const announceNext = () => {
    const next = runtime.nextRefreshAt();
    if (next) out(`next refresh at ${when(next, zone())} (${zone()})`);
  };
  const unsubscribe = runtime.subscribe((event) => {
    if (event.type === 'brief-ready' && SCHEDULED.has(event.trigger ?? '')) {
      out(
        `brief ready (${event.trigger ?? ''}): ${event.date}, data as of ${when(event.dataAsOf ?? event.generatedAt, zone())}`,
      );
      announceNext();
    } else if (event.type === 'refresh-failed' && SCHEDULED.has(event.trigger ?? '')) {
      out(
        `refresh failed (${event.trigger ?? ''}): ${event.hint ? joinHint(event.message, event.hint) : event.message}`,
      );
      announceNext();
    } else if (event.type === 'settings-applied') announceNext();
  });
  const { schedule } = runtime.settingsNow().settings;
  const every = schedule.everyMinutes ? ` and every ${schedule.everyMinutes} min` : '';
  out(`daily-brief daemon: daily at ${schedule.dailyAt}${every} (${zone()})`);
  announceNext();
  await new Promise<void>((resolve) => {
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
  unsubscribe();
  await runtime.stop('the daemon is stopping');
  out('stopped');
}
