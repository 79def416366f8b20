import { calendar_v3 } from '@googleapis/calendar';
import { gmail_v1 } from '@googleapis/gmail';
import type { OAuth2Client } from 'google-auth-library';
import type { GoogleSettings } from '../../core/settings-google.ts';

/** The generated clients, pointed at `google.apiRootUrl` (Google's by default, a local fake in tests). */
export function gmailApi(auth: OAuth2Client, settings: GoogleSettings): gmail_v1.Gmail {
  return new gmail_v1.Gmail({ auth, rootUrl: settings.apiRootUrl });
}

export function calendarApi(auth: OAuth2Client, settings: GoogleSettings): calendar_v3.Calendar {
  return new calendar_v3.Calendar({ auth, rootUrl: settings.apiRootUrl });
}

export interface CallBounds {
  signal: AbortSignal;
  timeoutMs: number;
  maxBytes: number;
}

/** Per-call options: cancellation, a time limit, a size bound, and no hidden retries (backoff.ts decides). */
export function callOptions(bounds: CallBounds): {
  signal: AbortSignal;
  timeout: number;
  maxContentLength: number;
  retry: false;
} {
  return { signal: bounds.signal, timeout: bounds.timeoutMs, maxContentLength: bounds.maxBytes, retry: false };
}

/** The HTTP status of a gaxios error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown; response?: { status?: unknown } } | undefined)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}
