// The renderer sees the app through the contract only: call and result types, the events, the envelope.
import type { Api } from '../../../contract/calls.ts';
import { AppError } from '../../../contract/envelope.ts';
import type { AppEvent } from '../../../contract/events.ts';

export type { Api, ApiArgs, ApiCall, ApiResults } from '../../../contract/calls.ts';
export type { AppEvent } from '../../../contract/events.ts';
export type {
  ActionItem,
  Brief,
  BriefItem,
  BriefSection,
  Settings,
  SourceHealth,
  SourceStatus,
  TldrBullet,
  WeatherSummary,
} from '../../../contract/results.ts';

/**
 * What the UI talks to: one method per API call, plus the stream of the app's events. Electron's preload
 * exposes it as `window.dailyBrief`; in a browser, `httpClient` builds the same shape over `serve`. Both
 * reject a failed call with the same AppError (code, message, hint).
 */
export type DailyBriefClient = Api & {
  onEvent(listener: (event: ClientEvent) => void): () => void;
};

/** Every event the app and the desktop shell send. */
export type ClientEvent = AppEvent;

export { AppError };

/** The line a user sees for any failure: the problem, then what to do. */
export function errorLine(error: unknown): string {
  if (error instanceof AppError) return error.oneLine();
  return error instanceof Error ? error.message : String(error);
}

declare global {
  interface Window {
    dailyBrief?: DailyBriefClient;
  }
}
