import { Cron } from 'croner';
import { systemClock, type Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import type { ScheduleSettings } from '../core/schedule-settings.ts';
import type { Brief } from '../core/types.ts';

export type ScheduledTrigger = 'schedule' | 'catch-up';

export type ScheduledRun =
  { trigger: ScheduledTrigger; ok: true; brief: Brief } | { trigger: ScheduledTrigger; ok: false; error: string };

/** The store's key/value table, which is all the scheduler needs to remember between launches. */
export interface ScheduleState {
  getValue(key: string): unknown;
  putValue(key: string, value: unknown): void;
}

export interface SchedulerOptions {
  schedule: ScheduleSettings;
  timezone: string;
  /** Starts or joins a refresh; the service is single-flight, so a scheduled run never doubles one. */
  refresh: (trigger: ScheduledTrigger) => Promise<Brief>;
  state: ScheduleState;
  /** When the newest brief was written, however it came: a fresh one satisfies a missed daily slot. */
  latestBriefAt?: () => string | undefined;
  clock?: Clock;
  onRun?: (run: ScheduledRun) => void;
}

export const LAST_RUN_KEY = 'scheduler:lastRunAt';
/** Timer jitter: an interval run a few seconds early still counts as due. */
const INTERVAL_SLACK_MS = 5000;

function dailyPattern(dailyAt: string): string {
  const [hours, minutes] = dailyAt.split(':');
  return `${Number(minutes)} ${Number(hours)} * * *`;
}

/**
 * The most recent daily slot at or before `now` that no refresh has covered yet, or undefined.
 * A slot is covered by a scheduled run at or after it, or by any brief written at or after it.
 */
export function missedSlot(options: {
  dailyAt: string;
  timezone: string;
  now: Date;
  lastRunAt?: string | undefined;
  latestBriefAt?: string | undefined;
}): Date | undefined {
  const cron = new Cron(dailyPattern(options.dailyAt), { timezone: options.timezone, paused: true });
  // previousRuns counts a run earlier in the reference's second, so a slot at exactly `now` is included.
  const [slot] = cron.previousRuns(1, new Date(options.now.getTime() + 1));
  cron.stop();
  if (!slot) return undefined;
  const covered = [options.lastRunAt, options.latestBriefAt].some(
    (at) => at !== undefined && Date.parse(at) >= slot.getTime(),
  );
  return covered ? undefined : slot;
}

/**
 * The background refresh: once a day at `schedule.dailyAt` in the user's zone, optionally every
 * `everyMinutes`, and one catch-up on launch or resume when the daily time passed unseen (asleep, closed).
 * croner's timers wake at least every 30 s and compare against the wall clock, so a slot missed during
 * sleep still fires, late, once; the persisted last run stops launch, resume and that late fire doubling up.
 */
export class Scheduler {
  private options: SchedulerOptions;
  private readonly clock: Clock;
  private jobs: Cron[] = [];
  private inFlight: Promise<ScheduledRun> | undefined;

  constructor(options: SchedulerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  /** Arms the timers, then catches up if the daily slot was missed. */
  start(): Promise<ScheduledRun | undefined> {
    this.arm();
    return this.catchUp();
  }

  /** New settings (saved from the UI): re-arm with the new time and zone. */
  update(schedule: ScheduleSettings, timezone: string): void {
    this.options = { ...this.options, schedule, timezone };
    if (this.jobs.length > 0) this.arm();
  }

  /** Runs once if the latest daily slot is not covered yet; call on launch and on resume from sleep. */
  catchUp(): Promise<ScheduledRun | undefined> {
    if (this.inFlight) return this.inFlight;
    const slot = missedSlot({
      dailyAt: this.options.schedule.dailyAt,
      timezone: this.options.timezone,
      now: this.clock.now(),
      lastRunAt: this.lastRunAt(),
      latestBriefAt: this.options.latestBriefAt?.(),
    });
    return slot ? this.run('catch-up') : Promise.resolve(undefined);
  }

  nextRunAt(): Date | undefined {
    const next = this.jobs
      .map((job) => job.nextRun())
      .filter((at): at is Date => at !== null)
      .sort((a, b) => a.getTime() - b.getTime());
    return next[0];
  }

  /** Stops the timers and waits for a run in progress to settle. */
  async stop(): Promise<void> {
    this.disarm();
    await this.inFlight;
  }

  private arm(): void {
    this.disarm();
    const { schedule, timezone } = this.options;
    this.jobs.push(
      new Cron(dailyPattern(schedule.dailyAt), { timezone, protect: true }, () => void this.run('schedule')),
    );
    const everyMs = (schedule.everyMinutes ?? 0) * 60_000;
    if (everyMs > 0) {
      // croner fires an interval job at once when armed; the data is fresh then, so count from the last run.
      const due = () => this.clock.now().getTime() - this.freshAt() >= everyMs - INTERVAL_SLACK_MS;
      const fire = () => {
        if (due()) void this.run('schedule');
      };
      this.jobs.push(new Cron('* * * * * *', { timezone, interval: everyMs / 1000, protect: true }, fire));
    }
  }

  /** When the data was last refreshed, by the scheduler or anyone else. */
  private freshAt(): number {
    const times = [this.lastRunAt(), this.options.latestBriefAt?.()].map((at) => (at ? Date.parse(at) : 0));
    return Math.max(0, ...times);
  }

  private disarm(): void {
    for (const job of this.jobs) job.stop();
    this.jobs = [];
  }

  private lastRunAt(): string | undefined {
    const value = this.options.state.getValue(LAST_RUN_KEY);
    return typeof value === 'string' ? value : undefined;
  }

  private run(trigger: ScheduledTrigger): Promise<ScheduledRun> {
    this.inFlight ??= this.execute(trigger).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async execute(trigger: ScheduledTrigger): Promise<ScheduledRun> {
    const startedAt = this.clock.now().toISOString();
    let outcome: ScheduledRun;
    try {
      const brief = await this.options.refresh(trigger);
      // Only a finished run counts: a failed one is tried again on the next launch or resume.
      this.options.state.putValue(LAST_RUN_KEY, startedAt);
      outcome = { trigger, ok: true, brief };
    } catch (error) {
      outcome = { trigger, ok: false, error: describeError(error) };
    }
    this.options.onRun?.(outcome);
    return outcome;
  }
}
