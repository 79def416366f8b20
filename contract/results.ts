import type { Mute } from '../core/feedback.ts';
import type { Brief, FeedInspection } from '../core/types.ts';

export type { Account, AccountProvider, AccountStatus, ReconnectArgs } from '../core/accounts.ts';
export type { Candidate, ItemAction, Mute, MuteScope } from '../core/feedback.ts';
export type { Settings, SettingsCheck, SettingsFieldError } from '../core/settings.ts';
export type {
  ActionItem,
  AskCitation,
  AskResult,
  Brief,
  BriefHistoryEntry,
  BriefItem,
  BriefSection,
  DescribedModel,
  FeedInspection,
  FeedKind,
  FeedSection,
  InstalledModel,
  ResolvedPlace,
  SourceHealth,
  SourceStatus,
  TldrBullet,
  WeatherSummary,
} from '../core/types.ts';

/** What applies where the settings are edited: some settings mean something only in some front ends. */
export interface SettingsHere {
  /** The desktop app, which can start at login. */
  desktop: boolean;
  /**
   * Something acts on the schedule: this app keeps it while it runs (the desktop app, `serve` and the daemon do; a
   * one-off command and `serve --no-schedule` do not), or another process on the same data folder does (a running
   * daemon or desktop app, which re-reads the settings when they are saved).
   */
  schedule: boolean;
}

/** A feed read before it is added: what it is, or why it could not be read, in one sentence. */
export type FeedCheck = { ok: true; feed: FeedInspection } | { ok: false; problem: string };

/** A vote, mute or undo, in words, with the brief it re-ranked. */
export interface FeedbackResult {
  message: string;
  /** The latest brief, already re-ranked by this action; null before the first brief. */
  brief: Brief | null;
}

/** What has been learned, in words. */
export interface Preferences {
  interests: string[];
  eventCount: number;
  learned: { label: string; weight: number }[];
  mutes: (Mute & { label: string })[];
}

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One finding. `detail` is the sentence a person reads; `fix`, when present, is what to do about it. */
export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  title: string;
  detail: string;
  fix?: string;
}

export interface DoctorReport {
  /** False when any check failed; warnings and skips do not count. */
  ok: boolean;
  checks: DoctorCheck[];
}

/** Whether a refresh runs now (in any process on this data folder), and the last one that was cut off. */
export interface RefreshStatus {
  refreshing: boolean;
  /** A refresh killed mid-way (crash, kill -9, power loss); the brief before it is still served. */
  lastInterrupted: { runId: string; trigger: string; startedAt: string } | null;
}

/**
 * Which brief the app shows. 'sample': the made-up sample day, from a store of its own under <data dir>/demo, so
 * nothing done in it reaches the user's own briefs, votes, memory or settings. Not kept across a restart: the app
 * always opens onto the user's own brief.
 */
export interface AppMode {
  mode: 'own' | 'sample';
  /** False when the app was started on the sample day only (`--demo`): there is no own brief to go back to. */
  canLeave: boolean;
}
