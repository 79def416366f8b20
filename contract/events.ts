import type { ErrorCode } from '../core/errors.ts';
import type { ProgressEvent } from '../core/types.ts';
import type { AppMode } from './results.ts';

export type { ProgressEvent } from '../core/types.ts';

/** A new brief is stored: enough for a notification or a reload without a second call. */
export interface BriefReadyEvent {
  type: 'brief-ready';
  briefId: string;
  date: string;
  generatedAt: string;
  dataAsOf?: string;
  timezone?: string;
  trigger?: string;
  headline?: string;
  /** A brief of the sample day: nothing to notify anyone about. */
  sample?: boolean;
}

/**
 * Everything the app tells its front ends, whoever started it: refresh progress and outcome, settings that
 * could not be applied, a core that could not start, and the desktop shell's own "open this brief".
 */
export type AppEvent =
  | ProgressEvent
  | BriefReadyEvent
  | { type: 'refresh-failed'; message: string; code?: ErrorCode; hint?: string; trigger?: string }
  /** settings.json stopped being valid; the app goes on with the last good settings. */
  | { type: 'settings-invalid'; message: string; hint?: string }
  /** Valid settings were (re)loaded: the schedule and desktop choices now in force. */
  | {
      type: 'settings-applied';
      nextRefreshAt?: string;
      desktop?: { startAtLogin: boolean };
    }
  /** The app's core could not start or stopped; nothing will work until it is restarted. */
  | { type: 'core-failed'; message: string; hint?: string }
  | { type: 'open-brief'; date?: string }
  /** A consent page to open (connecting an account): front ends without a browser of their own print it. */
  | { type: 'consent-url'; url: string }
  /** Something worth a line that is not a failure (a grant that could not be revoked, a token store fallback). */
  | { type: 'notice'; message: string }
  /** The sample day was shown or left: every open window follows. */
  | ({ type: 'mode' } & AppMode);

export type AppEventType = AppEvent['type'];
