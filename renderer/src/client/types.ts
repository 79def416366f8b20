// Types only: the renderer bundle carries no code from core/, and cannot reach Node through it.
import type { Api, ApiArgs, ApiCall, ApiResults } from '../../../app/api.ts';
import type { ServiceEvent } from '../../../core/types.ts';

export type { Api, ApiArgs, ApiCall, ApiResults, ServiceEvent };
export type {
  ActionItem,
  Brief,
  BriefItem,
  BriefSection,
  SourceHealth,
  SourceStatus,
  TldrBullet,
  WeatherSummary,
} from '../../../core/types.ts';
export type { Settings } from '../../../core/settings.ts';

/**
 * What the UI talks to: one method per API call, plus the stream of refresh events. Electron's preload
 * exposes it as `window.dailyBrief`; in a browser, `httpClient` builds the same shape over `serve`.
 */
export type DailyBriefClient = Api & {
  onEvent(listener: (event: ClientEvent) => void): () => void;
};

/** The service's events, plus the desktop shell's own: "open-brief" when a notification is clicked. */
export type ClientEvent = ServiceEvent | { type: 'open-brief' };

/** A failed call, as the transports report it: one line, and what to do about it. */
export class ClientError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientError';
    this.code = code;
    this.hint = hint;
  }
}

/** The line a user sees for any failure. */
export function errorLine(error: unknown): string {
  if (error instanceof ClientError) return error.hint ? `${error.message}. ${error.hint}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

declare global {
  interface Window {
    dailyBrief?: DailyBriefClient;
  }
}
