import { join } from 'node:path';
import type { Connector } from '../connectors/types.ts';
import { AccountService } from './account-service.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { AppError, describeError } from '../core/errors.ts';
import { wireError } from '../contract/envelope.ts';
import type { AskResult } from '../agents/memory/ask.ts';
import type { Embedder } from '../agents/memory/embeddings.ts';
import type { Logger } from '../core/log.ts';
import type { LoadedSettings } from '../core/settings.ts';
import { databaseExists, openSnapshot, storageProblem } from '../core/store/database.ts';
import { Store } from '../core/store/store.ts';
import { lastInterrupted, leaseOwner, recoverInterrupted } from '../core/store/lease.ts';
import { keepSchedule, scheduleKept } from '../core/store/schedule-keepers.ts';
import type { RefreshStatus } from '../contract/results.ts';
import { briefHistory, type BriefHistoryEntry } from '../core/store/history.ts';
import type { Brief, ProgressEvent, RefreshTrigger, SourceHealth } from '../core/types.ts';
import type { AppEvent } from '../contract/events.ts';
import type { Mute } from '../agents/preferences/events.ts';
import type { FeedbackInput, FeedbackResult, PreferenceService, Preferences } from './preferences.ts';

export interface ServiceOptions {
  dataDir: string;
  clock?: Clock;
  /** A sample day in its own store under <dataDir>/demo, so it never mixes with real data. */
  demo?: boolean;
  /** Replaces the registry (tests, benchmarks). */
  connectors?: Connector[];
  /** Replaces settings.json (tests, demo). */
  settings?: LoadedSettings;
  /** Where a long-running runtime keeps the last good settings.json; read on every use. */
  settingsSource?: () => LoadedSettings;
  /** Default: a log file in the data directory. */
  log?: Logger;
  /** false: no memory at all (tests of other parts). */
  memory?: false;
  /** Replaces the Ollama embedder (tests, benchmarks). */
  embedder?: Embedder;
  verbose?: boolean;
  /** Where account tokens live; default: the OS keyring, else the opt-in file store (core/secrets/open.ts). */
  secrets?: SecretStore;
  /** Opens a consent page; default: the system browser through the OS's opener (the desktop app passes shell.openExternal). */
  openUrl?: (url: string) => void;
}

export interface RefreshOptions {
  trigger: RefreshTrigger;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/** The kv key of the last brief a front end showed in full. */
const LAST_READ = 'brief.lastRead';

/**
 * The one API of the app. The CLI, the HTTP server and the Electron main process all call this and
 * nothing deeper. Reads are single SQLite queries; a refresh runs the workflow.
 */
export class BriefService {
  readonly dataDir: string;
  private readonly options: ServiceOptions;
  private clock: Clock;
  private storeInstance: Store | undefined;
  private snapshot: Store | undefined;
  private preferenceService: PreferenceService | undefined;
  private running: Promise<Brief> | undefined;
  private readonly listeners = new Set<(event: ProgressEvent) => void>();
  private readonly watchers = new Set<(event: AppEvent) => void>();
  private accountService: AccountService | undefined;

  constructor(options: ServiceOptions) {
    this.options = options;
    this.dataDir = options.demo ? join(options.dataDir, 'demo') : options.dataDir;
    this.clock = options.clock ?? systemClock;
  }

  private get store(): Store {
    this.storeInstance ??= Store.open(this.dataDir);
    return this.storeInstance;
  }

  /**
   * Reads never create anything: with no database yet there is simply nothing to show. A folder that cannot be
   * written (read-only, disk full) still shows what it holds, from a copy in memory.
   */
  private get readStore(): Store | undefined {
    if (!this.storeInstance && !databaseExists(this.dataDir)) return undefined;
    try {
      return this.store;
    } catch (error) {
      if (!(error instanceof AppError) || !['data_readonly', 'disk_full'].includes(error.code)) throw error;
      this.snapshot ??= new Store(openSnapshot(this.dataDir));
      return this.snapshot;
    }
  }

  latestBrief(): Brief | undefined {
    return this.readStore?.latestBrief();
  }

  /** True the first time a front end shows this brief, so it can say a failure once and not on every read. */
  markRead(id: string): boolean {
    const store = this.readStore;
    if (!store || store.getValue(LAST_READ) === id) return false;
    // A folder that cannot be written reads from a copy in memory: the mark lasts for this process only.
    store.putValue(LAST_READ, id, this.clock.now().toISOString());
    return true;
  }

  briefForDate(date: string): Brief | undefined {
    return this.readStore?.briefForDate(date);
  }

  sources(): SourceHealth[] {
    return this.readStore?.sourceHealth() ?? [];
  }

  /** A refresh under way here or in another process, and the last one cut off. */
  refreshStatus(): RefreshStatus {
    const store = this.readStore;
    const last = store && lastInterrupted(store.db);
    return {
      refreshing: this.isRefreshing || (store ? leaseOwner(store.db) !== undefined : false),
      lastInterrupted: last ? { runId: last.id, trigger: last.trigger, startedAt: last.startedAt } : null,
    };
  }

  /**
   * Whether a process keeps the schedule of this data folder (the daemon, `serve`, the desktop app): whether
   * `schedule.dailyAt` and `everyMinutes` act on anything. A folder with no database yet has no scheduler.
   */
  scheduleKept(): boolean {
    const store = this.readStore;
    return store ? scheduleKept(store.db) : false;
  }

  /** Says, for other processes to read, that this one keeps the schedule, until the returned function is called. */
  keepSchedule(): () => void {
    return keepSchedule(this.store.db, this.clock.now().toISOString());
  }

  /** At start: runs left `running` by a process that is gone are marked interrupted (when no refresh is under way). */
  recoverInterrupted(): void {
    const store = this.readStore;
    if (store) recoverInterrupted(store.db, this.clock.now().toISOString());
  }

  /** Newest brief of each date, newest first. */
  history(limit: number): BriefHistoryEntry[] {
    const store = this.readStore;
    return store ? briefHistory(store.db, limit) : [];
  }

  /** Every refresh's progress and outcome, whoever started it (for `serve`'s event stream and IPC). */
  watch(listener: (event: AppEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** An event from a call (a consent URL, a notice) to every watcher. */
  announce(event: AppEvent): void {
    this.emit(event);
  }

  private emit(event: AppEvent): void {
    for (const watcher of this.watchers) watcher(event);
  }

  /** The secret store this front end was given (the desktop app's); undefined where the CLI's own is opened. */
  get secrets(): SecretStore | undefined {
    return this.options.secrets;
  }

  /** Connected accounts (Google): list, connect, disconnect. */
  get accounts(): AccountService {
    this.accountService ??= new AccountService({
      dataDir: this.dataDir,
      kv: (create) => {
        const store = create ? this.store : this.readStore;
        return (
          store && {
            getValue: (k) => store.getValue(k),
            putValue: (k, v) => {
              store.putValue(k, v, this.clock.now().toISOString());
            },
          }
        );
      },
      settings: async () => (await this.settings()).settings,
      clock: () => this.clock,
      log: () => (this.options.log ? Promise.resolve(this.options.log) : this.fileLog()),
      ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
      ...(this.options.openUrl ? { openUrl: this.options.openUrl } : {}),
    });
    return this.accountService;
  }

  get isRefreshing(): boolean {
    return this.running !== undefined;
  }

  /** Whether this is the sample day's service (its own store under <dataDir>/demo). */
  get demo(): boolean {
    return this.options.demo ?? false;
  }

  /** Single-flight: a caller that arrives while a refresh runs joins it and gets the same brief. */
  refresh(options: RefreshOptions): Promise<Brief> {
    const onProgress = options.onProgress;
    if (onProgress) this.listeners.add(onProgress);
    if (!this.running) {
      this.running = this.runRefresh(options)
        .catch((error: unknown) => {
          // A full disk or a read-only folder, wherever it struck (opening, the run row, the brief, the log).
          const known = error instanceof AppError && error.code !== 'refresh_failed';
          throw (known ? undefined : storageProblem((error as Error).cause ?? error, this.dataDir)) ?? error;
        })
        .then(
          (brief) => {
            this.emit({
              type: 'brief-ready',
              briefId: brief.id,
              date: brief.date,
              generatedAt: brief.generatedAt,
              dataAsOf: brief.dataAsOf,
              timezone: brief.timezone,
              trigger: options.trigger,
              headline: brief.tldr[0]?.text ?? '',
              ...(this.options.demo ? { sample: true } : {}),
            });
            return brief;
          },
          (error: unknown) => {
            const wire = wireError(error);
            this.emit({
              type: 'refresh-failed',
              trigger: options.trigger,
              message: wire.message,
              code: wire.code,
              ...(wire.hint ? { hint: wire.hint } : {}),
            });
            throw error;
          },
        )
        .finally(() => {
          this.running = undefined;
          this.listeners.clear();
        });
    }
    return this.running;
  }

  private async runRefresh(options: RefreshOptions): Promise<Brief> {
    const settings = await this.settings();
    if (this.options.demo && !this.options.clock) {
      const { demoClock } = await import('../connectors/demo/demo.ts');
      this.clock = demoClock(systemClock, settings.settings.location.timezone);
    }
    const connectors = this.options.connectors ?? (await this.defaultConnectors());
    const store = this.store;
    const signal = options.signal ?? new AbortController().signal;
    const lease = await this.leaseOrJoin(store, signal);
    if ('brief' in lease) return lease.brief;
    try {
      return await this.runLeased(options, settings, connectors, store, signal);
    } finally {
      lease.release();
    }
  }

  /**
   * The data folder's one refresh: the lease when no process holds it, else the brief of the refresh under way in
   * another process (the CLI while `serve` or the daemon refreshes), once it is written.
   */
  private async leaseOrJoin(store: Store, signal: AbortSignal): Promise<{ release: () => void } | { brief: Brief }> {
    const { tryLease, waitForLease } = await import('../core/store/lease.ts');
    let announced = false;
    for (;;) {
      const release = tryLease(store.db, this.clock.now().toISOString());
      if (release) return { release };
      const before = store.latestBrief()?.id;
      if (!announced) {
        this.emit({ type: 'notice', message: 'A refresh is already under way in another Daily Brief; waiting for it' });
        announced = true;
      }
      await waitForLease(store.db, signal);
      const after = store.latestBrief();
      // It failed or wrote nothing: run our own.
      if (after && after.id !== before) return { brief: after };
    }
  }

  private async runLeased(
    options: RefreshOptions,
    settings: LoadedSettings,
    connectors: Connector[],
    store: Store,
    signal: AbortSignal,
  ): Promise<Brief> {
    const { runBriefWorkflow } = await import('../agents/workflow/run.ts');
    const startedAt = this.clock.now();
    const runId = store.startRun(options.trigger, startedAt.toISOString());
    const log = this.options.log ?? (await this.fileLog());
    const opened = await this.openMemory(settings, store, log, signal);
    try {
      return await runBriefWorkflow({
        settings,
        store,
        clock: this.clock,
        connectors,
        runId,
        trigger: options.trigger,
        startedAt,
        signal,
        onProgress: (event) => {
          for (const listener of this.listeners) listener(event);
          this.emit(event);
        },
        demo: this.options.demo ?? false,
        log,
        ...(opened ? { memory: opened.memory } : {}),
        ...(opened?.notice ? { memoryNotice: opened.notice } : {}),
      });
    } catch (error) {
      try {
        store.failRun(runId, this.clock.now().toISOString(), describeError(error));
      } catch {
        // The disk is full or the folder read-only: the run stays open and is marked interrupted at the next start.
      }
      if (error instanceof AppError) throw error;
      throw new AppError('refresh_failed', `the refresh failed (${describeError(error)})`, {
        hint: 'The previous brief is still served. Run again with --verbose for details',
        cause: error,
      });
    } finally {
      await opened?.memory.close();
    }
  }

  /** The memory for one refresh or question, or nothing (disabled, or the test said so). */
  private async openMemory(settings: LoadedSettings, store: Store, log: Logger, signal: AbortSignal) {
    if (this.options.memory === false) return undefined;
    const { openMemory } = await import('../agents/memory/open.ts');
    const opened = await openMemory({
      dataDir: this.dataDir,
      store,
      settings: settings.settings,
      log,
      signal,
      now: () => this.clock.now().getTime(),
      ...(this.options.embedder ? { embedder: this.options.embedder } : {}),
    });
    // The fallback is said once, not on every brief.
    if (opened?.notice) {
      const key = `notice:${opened.notice.replace(/ \(.*\)/, '')}`;
      if (store.getValue(key)) return { memory: opened.memory };
      store.putValue(key, true, this.clock.now().toISOString());
    }
    return opened;
  }

  /** A vote, mute or undo: logged, learned, and today's brief re-ranked before this returns. */
  async feedback(input: FeedbackInput): Promise<FeedbackResult> {
    const { interests } = (await this.settings()).settings;
    return (await this.preferences()).feedback(input, interests);
  }

  async unmute(mute: Mute): Promise<FeedbackResult> {
    return (await this.preferences()).unmute(mute, (await this.settings()).settings.interests);
  }

  async learnedPreferences(): Promise<Preferences> {
    return (await this.preferences()).preferences((await this.settings()).settings.interests);
  }

  async resetPreferences(): Promise<Preferences> {
    return (await this.preferences()).reset((await this.settings()).settings.interests);
  }

  /** Loaded on first use: the learner and the re-ranker pull in the brief writer, which a brief read does not need. */
  private async preferences(): Promise<PreferenceService> {
    const { PreferenceService } = await import('./preferences.ts');
    this.preferenceService ??= new PreferenceService(this.store, this.clock);
    return this.preferenceService;
  }

  /** Answers a question from memory, with citations; without a model, the best matches. */
  async ask(question: string, options: { signal?: AbortSignal } = {}): Promise<AskResult> {
    const settings = await this.settings();
    const log = this.options.log ?? (await this.fileLog());
    const signal = options.signal ?? new AbortController().signal;
    const opened = await this.openMemory(settings, this.store, log, signal);
    if (!opened) {
      throw new AppError('memory_off', 'memory is switched off', { hint: 'Set memory.enabled to true in settings' });
    }
    try {
      const { askMemory } = await import('../agents/memory/ask.ts');
      return await askMemory(question, {
        memory: opened.memory,
        llm: settings.settings.llm,
        timezone: settings.settings.location.timezone,
        signal,
        log,
      });
    } finally {
      await opened.memory.close();
    }
  }

  /** The log this service writes to: the one it was given, else the data folder's file. */
  async log(): Promise<Logger> {
    return this.options.log ?? this.fileLog();
  }

  private async fileLog(): Promise<Logger> {
    const { fileLogger } = await import('../core/log.ts');
    return fileLogger(this.dataDir, { verbose: this.options.verbose ?? false });
  }

  /** The settings this service runs with (demo or test settings when it was given them). */
  async settings(): Promise<LoadedSettings> {
    if (this.options.settings) return this.options.settings;
    if (this.options.settingsSource) return this.options.settingsSource();
    if (this.options.demo) {
      // The sample settings until the user saves their own in the demo (kept in <data-dir>/demo, apart from real ones).
      const { loadSettings } = await import('../core/settings-load.ts');
      const saved = loadSettings(this.dataDir);
      if (saved.fromFile) return saved;
      const { demoSettings } = await import('../connectors/demo/demo.ts');
      return demoSettings();
    }
    // zod is loaded only when settings are read, which keeps `show` (no settings needed) fast.
    const { loadSettings } = await import('../core/settings-load.ts');
    return loadSettings(this.dataDir);
  }

  private async defaultConnectors(): Promise<Connector[]> {
    if (this.options.demo) {
      const { demoConnectors } = await import('../connectors/demo/demo.ts');
      return demoConnectors();
    }
    const { allConnectors } = await import('../connectors/registry.ts');
    return allConnectors(this.accounts.connectorDeps());
  }

  /** The store's key/value table, for state that outlives a process (the scheduler's last run). */
  get state(): { getValue(key: string): unknown; putValue(key: string, value: unknown): void } {
    return {
      getValue: (key) => this.store.getValue(key),
      putValue: (key, value) => {
        this.store.putValue(key, value, this.clock.now().toISOString());
      },
    };
  }

  close(): void {
    this.accountService?.close();
    this.snapshot?.close();
    this.snapshot = undefined;
    this.storeInstance?.close();
    this.storeInstance = undefined;
    this.preferenceService = undefined;
  }
}
