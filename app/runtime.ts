import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import type { Api } from '../contract/calls.ts';
import { wireError } from '../contract/envelope.ts';
import type { AppEvent } from '../contract/events.ts';
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import { makePrivate, privateUmask } from '../core/private-dir.ts';
import type { Logger } from '../core/log.ts';
import { parseSettings, SETTINGS_FILE, type LoadedSettings } from '../core/settings.ts';
import { loadSettings } from '../core/settings-load.ts';
import type { Brief, RefreshTrigger } from '../core/types.ts';
import { createHandlers } from './api.ts';
import { apiOver, createDispatch, type Dispatch } from './dispatch.ts';
import { SampleDay } from './sample-day.ts';
import type { Scheduler, ScheduledRun } from './scheduler.ts';
import { BriefService, type ServiceOptions } from './service.ts';

/** A burst of writes (an editor's save, our own atomic rename) is read once. */
const SETTINGS_SETTLE_MS = 150;

export interface RuntimeOptions extends Omit<ServiceOptions, 'settingsSource'> {
  /** Keep the user's schedule (`schedule.dailyAt`, `everyMinutes`, catch-up). Default true. */
  schedule?: boolean;
  /** The desktop app's core: starting at login is a setting that means something here. */
  desktop?: boolean;
  /** Re-read settings.json when it changes and on SIGHUP. Default: true when scheduling. */
  watchSettings?: boolean;
  /**
   * settings.json is invalid when the runtime starts: 'fail' throws its one-line error (a daemon refuses to
   * start); 'defaults' runs on the defaults and reports it, so a window can show the problem and fix it.
   */
  invalidAtStart?: 'fail' | 'defaults';
  /** Human lines for a terminal (the daemon's log on stdout). */
  report?: (line: string) => void;
  onScheduledRun?: (run: ScheduledRun) => void;
  clock?: Clock;
  /** Reads the settings instead of <dataDir>/settings.json (tests). */
  readSettings?: () => LoadedSettings;
}

/**
 * The app, running: the service, the scheduler, the event bus, the settings watcher and the one dispatch.
 * `daemon`, `serve`, the Electron core process and the CLI's one-shot commands are thin adapters around it.
 * It can show the sample day for a while (`demo/enter`, `demo/leave`): see sample-day.ts.
 */
export class AppRuntime {
  /** The user's own service: the schedule, the settings watcher and `refresh()` always act on it. */
  readonly service: BriefService;
  /** Absent when the runtime is the sample day only (`--demo`). */
  private readonly sample: SampleDay | undefined;
  readonly dispatch: Dispatch;
  readonly api: Api;
  private readonly options: RuntimeOptions;
  private readonly listeners = new Set<(event: AppEvent) => void>();
  private readonly unwatchService: () => void;
  private settingsWatcher: FSWatcher | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private scheduler: Scheduler | undefined;
  /** Takes back the word that this process keeps the schedule (see BriefService.keepSchedule). */
  private releaseSchedule: (() => void) | undefined;
  private readonly aborter = new AbortController();
  /** Whether settings.json is watched and its last good version kept (long-running front ends). */
  private readonly watching: boolean;
  private current: LoadedSettings | undefined;
  private appliedKey: string | undefined;
  /** Replayed to a listener that subscribes late (a window that loads after the problem was found). */
  private standing: Extract<AppEvent, { type: 'settings-invalid' }> | undefined;
  private readonly onHup = () => {
    void this.reloadSettings();
  };

  private constructor(options: RuntimeOptions) {
    this.options = options;
    privateUmask();
    const tightened = makePrivate(options.dataDir);
    const watching = !options.demo && !options.settings && (options.watchSettings ?? options.schedule !== false);
    this.service = new BriefService({
      ...options,
      ...(watching ? { settingsSource: () => this.settingsNow() } : {}),
    });
    this.sample = options.demo
      ? undefined
      : new SampleDay({
          base: options,
          emit: (event) => {
            this.emit(event);
          },
          signal: this.aborter.signal,
        });
    this.unwatchService = this.service.watch((event) => {
      if (this.sample?.passesOwn(event) ?? true) this.emit(event);
    });
    const own = createHandlers(
      this.service,
      {
        refresh: ({ trigger }) => this.refresh(trigger),
        'settings/save': async ({ settings }) => {
          const { saveSettings } = await import('../core/settings-file.ts');
          const saved = saveSettings(this.service.dataDir, settings);
          // Applied now, not when the file watcher gets round to it: the caller's next read sees it.
          if (saved.ok && watching) await this.reloadSettings();
          return saved;
        },
      },
      { desktop: options.desktop === true, schedule: options.schedule !== false },
    );
    this.dispatch = createDispatch(this.sample ? this.sample.route(own) : own);
    this.api = apiOver(this.dispatch);
    this.watching = watching;
    if (tightened) {
      // Said once: the next start finds nothing left to tighten.
      const what = tightened === 1 ? '1 file or folder' : `${String(tightened)} files and folders`;
      const line = `made ${what} in the data folder private (other users of this computer could read them)`;
      options.report?.(line);
      void this.service.log().then((log) => {
        log.warn({ tightened }, line);
      });
    }
  }

  /** Starts the runtime: settings read, schedule armed (with a catch-up), settings watched. */
  static async start(options: RuntimeOptions): Promise<AppRuntime> {
    const runtime = new AppRuntime(options);
    await runtime.begin();
    return runtime;
  }

  /** For one command and out: no schedule, no watcher. */
  static open(options: Omit<RuntimeOptions, 'schedule' | 'watchSettings' | 'onScheduledRun'>): AppRuntime {
    return new AppRuntime({ ...options, schedule: false, watchSettings: false });
  }

  private async begin(): Promise<void> {
    this.service.recoverInterrupted();
    if (this.watching) {
      mkdirSync(this.service.dataDir, { recursive: true, mode: 0o700 });
      try {
        this.current = this.readSettings();
      } catch (error) {
        if (this.options.invalidAtStart !== 'defaults') throw error;
        this.current = { settings: parseSettings({}), fromFile: false, locationSet: false };
        this.reportInvalid(error);
      }
      this.watchSettingsFile();
      process.on('SIGHUP', this.onHup);
    }
    if (this.options.schedule !== false) {
      const { settings } = await this.service.settings();
      // Loaded here, not at the top: a one-shot CLI command never schedules, and croner is not free to load.
      const { Scheduler } = await import('./scheduler.ts');
      this.scheduler = new Scheduler({
        schedule: settings.schedule,
        timezone: settings.location.timezone,
        refresh: (trigger) => this.refresh(trigger),
        state: this.service.state,
        latestBriefAt: () => this.service.latestBrief()?.generatedAt,
        ...(this.options.onScheduledRun ? { onRun: this.options.onScheduledRun } : {}),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
      });
      void this.scheduler.start();
      try {
        // So that another front end on this folder (`serve --no-schedule`) shows the schedule, which this one keeps.
        this.releaseSchedule = this.service.keepSchedule();
      } catch (error) {
        // A folder that cannot be written: the schedule still runs here; only others cannot know it.
        void this.service.log().then((log) => {
          log.warn({ reason: describeError(error) }, 'could not say that this process keeps the schedule');
        });
      }
    }
    this.announceApplied(true);
  }

  /** Every event, from every refresh whoever started it; a standing settings problem is replayed first. */
  subscribe(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.standing) listener(this.standing);
    return () => this.listeners.delete(listener);
  }

  /** Posts an event from a front end's own side (the desktop shell's "open-brief") to every listener. */
  emit(event: AppEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Single flight: a refresh already running (from the schedule, the tray, a window) is joined, not doubled. */
  refresh(trigger: RefreshTrigger): Promise<Brief> {
    return this.service.refresh({ trigger, signal: this.aborter.signal });
  }

  get isRefreshing(): boolean {
    return this.service.isRefreshing;
  }

  nextRefreshAt(): Date | undefined {
    return this.scheduler?.nextRunAt();
  }

  /** The machine woke up: refresh once if the daily time passed while it slept. */
  resume(): void {
    void this.scheduler?.catchUp();
  }

  /** The settings in force: the last good settings.json. */
  settingsNow(): LoadedSettings {
    this.current ??= this.readSettings();
    return this.current;
  }

  /**
   * Reads settings.json again. Valid: applied (schedule re-armed) and announced. Invalid: reported once, as an
   * event, in the log and on the terminal, and the runtime goes on with the last good settings. Never throws.
   */
  reloadSettings(): Promise<boolean> {
    let loaded: LoadedSettings;
    try {
      loaded = this.readSettings();
    } catch (error) {
      this.reportInvalid(error);
      return Promise.resolve(false);
    }
    this.current = loaded;
    const wasInvalid = this.standing !== undefined;
    this.standing = undefined;
    this.scheduler?.update(loaded.settings.schedule, loaded.settings.location.timezone);
    this.announceApplied(wasInvalid);
    return Promise.resolve(true);
  }

  private reportInvalid(error: unknown): void {
    const wire = wireError(error);
    const event = {
      type: 'settings-invalid' as const,
      message: wire.message,
      hint: 'The app goes on with the last good settings until the file is fixed',
    };
    if (this.standing?.message === event.message) return;
    this.standing = event;
    this.options.report?.(`settings not applied: ${wire.message}. ${event.hint}`);
    void this.service.log().then((log) => {
      log.warn({ code: wire.code }, `settings not applied: ${wire.message}`);
    });
    this.emit(event);
  }

  private announceApplied(force: boolean): void {
    const settings = this.current?.settings;
    const key = JSON.stringify(settings ?? null);
    if (!force && key === this.appliedKey) return;
    const first = this.appliedKey === undefined;
    this.appliedKey = key;
    if (!first) this.options.report?.('settings reloaded');
    const next = this.nextRefreshAt();
    this.emit({
      type: 'settings-applied',
      ...(next ? { nextRefreshAt: next.toISOString() } : {}),
      ...(settings ? { desktop: { startAtLogin: settings.desktop.startAtLogin } } : {}),
    });
  }

  private watchSettingsFile(): void {
    try {
      // The folder, not the file: settings are saved by renaming a new file over the old one.
      this.settingsWatcher = watch(this.service.dataDir, { persistent: false }, (_kind, name) => {
        if (name !== SETTINGS_FILE) return;
        clearTimeout(this.settleTimer);
        this.settleTimer = setTimeout(() => void this.reloadSettings(), SETTINGS_SETTLE_MS);
      });
      this.settingsWatcher.on('error', () => {
        this.settingsWatcher?.close();
        this.settingsWatcher = undefined;
      });
    } catch {
      // No data folder yet (nothing saved): SIGHUP and saves through the app still apply settings.
    }
  }

  /** Timers and watchers off, a running refresh aborted and awaited, the store closed. */
  async stop(reason = 'the app is stopping'): Promise<void> {
    process.off('SIGHUP', this.onHup);
    clearTimeout(this.settleTimer);
    this.settingsWatcher?.close();
    this.aborter.abort(new Error(reason));
    await this.scheduler?.stop();
    this.releaseSchedule?.();
    // Joining the single flight is how to wait for a refresh someone else started; it is aborted.
    if (this.service.isRefreshing) await this.service.refresh({ trigger: 'ui' }).catch(() => undefined);
    await this.sample?.stop();
    this.unwatchService();
    this.listeners.clear();
    this.service.close();
  }

  private readSettings(): LoadedSettings {
    return this.options.readSettings ? this.options.readSettings() : loadSettings(this.service.dataDir);
  }

  /** The log the service writes to. */
  log(): Promise<Logger> {
    return this.service.log();
  }
}
