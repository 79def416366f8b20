import { z } from 'zod';
import { accountKey, type StoredAccount } from '../../core/accounts.ts';
import { AppError, describeError } from '../../core/errors.ts';
import { httpGet, safeHost } from '../../core/http.ts';
import { networkProblem } from '../accounts/network-errors.ts';
import { forEachAccount, hasAccounts, type AccountDeps } from '../accounts/run.ts';
import type { Item } from '../../core/types.ts';
import type { Connector, ConnectorContext, ConnectorResult } from '../types.ts';
import { eventsInWindow, parseCalendar } from './ical-events.ts';
import { briefWindow } from './window.ts';

/**
 * Per subscription: the validators and the last body. Kept under the account's name, not in the HTTP cache,
 * which is keyed by URL: a private calendar's URL is a password and lives only in the secret store.
 */
const stateSchema = z.object({
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  body: z.string(),
  /** The window's events from this body, so a 304 on the same day parses nothing. */
  window: z.string().optional(),
  items: z.array(z.custom<Item>((v) => typeof v === 'object' && v !== null)).optional(),
});

export function icsConnector(deps?: AccountDeps): Connector {
  return {
    id: 'ics',
    label: 'Calendar subscriptions (ICS)',
    kinds: ['event'],
    enabled: (settings) => settings.sources.ics.enabled && hasAccounts(deps, 'ics'),
    fetch: (context) =>
      deps
        ? forEachAccount(deps, 'ics', context, 'ICS', (account, url) => syncSubscription(account, url, context))
        : Promise.resolve({ items: [], warnings: [] }),
  };
}

/** webcal:// is how calendar links are often published; it is plain HTTPS underneath. */
export function icsUrl(raw: string): string {
  const url = raw.trim().replace(/^webcals?:\/\//i, 'https://');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('bad_url', 'that is not a calendar URL', { hint: 'Give the full https:// (or webcal://) link' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('bad_url', `a calendar URL must be http(s), not ${parsed.protocol}`, {
      hint: 'Give the full https:// (or webcal://) link',
    });
  }
  return parsed.href;
}

/** Fetches the file (conditionally, when validators are given); undefined on 304 Not Modified. */
export async function fetchIcs(
  url: string,
  limits: { signal: AbortSignal; timeoutMs: number; maxBytes: number },
  validators: { etag?: string; lastModified?: string } = {},
): Promise<{ body: string; etag?: string; lastModified?: string } | undefined> {
  const host = safeHost(url);
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  let response;
  try {
    response = await httpGet({
      url,
      signal: limits.signal,
      timeoutMs: limits.timeoutMs,
      maxBytes: limits.maxBytes,
      headers,
    });
  } catch (error) {
    throw networkProblem(error, host, 'calendar host') ?? error;
  }
  if (response.status === 304) return undefined;
  if (response.status === 401 || response.status === 403) {
    throw new AppError('auth_failed', `${host} refused access to the calendar (HTTP ${String(response.status)})`, {
      hint: 'The link may have been reset; copy it again from the calendar’s sharing settings',
    });
  }
  if (response.status === 404 || response.status === 410) {
    throw new AppError('not_found', `${host} has no calendar at that link (HTTP ${String(response.status)})`, {
      hint: 'Copy the link again from the calendar’s sharing settings',
    });
  }
  if (response.status < 200 || response.status > 299) {
    throw new AppError('http_status', `${host} answered HTTP ${String(response.status)}`);
  }
  if (!/BEGIN:VCALENDAR/i.test(response.body.slice(0, 2000))) {
    throw new AppError('not_calendar', `what ${host} sent is not an iCalendar file`, {
      hint: 'Use the calendar’s ICS or webcal link, not the page that shows it',
    });
  }
  const out: { body: string; etag?: string; lastModified?: string } = { body: response.body };
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) out.etag = etag;
  if (lastModified) out.lastModified = lastModified;
  return out;
}

async function syncSubscription(
  account: StoredAccount,
  url: string,
  context: ConnectorContext,
): Promise<ConnectorResult> {
  const key = `ics:${accountKey(account)}`;
  const parsed = stateSchema.safeParse(context.cache.getValue(key));
  const previous = parsed.success ? parsed.data : undefined;
  const fresh = await fetchIcs(
    url,
    {
      signal: context.signal,
      timeoutMs: context.requestTimeoutMs,
      maxBytes: context.settings.refresh.maxResponseBytes,
    },
    previous ?? {},
  );
  const state: z.infer<typeof stateSchema> | undefined = fresh ?? previous;
  if (!state) throw new AppError('http_status', `${safeHost(url)} answered 304 to a first request`);
  const tz = context.settings.location.timezone;
  const window = briefWindow(context.clock.now(), tz);
  if (!fresh && state.items && state.window === window.date) return { items: state.items, warnings: [] };
  let calendar;
  try {
    calendar = parseCalendar(state.body);
  } catch (error) {
    throw new AppError(
      'not_calendar',
      `the calendar from ${safeHost(url)} could not be read (${describeError(error)})`,
      {
        cause: error,
      },
    );
  }
  const name = account.name ?? account.address;
  const ref = { source: 'ics' as const, id: accountKey(account), name, account: name, owners: [] };
  const items = eventsInWindow([calendar], ref, window, tz);
  context.cache.putValue(key, { ...state, window: window.date, items });
  return { items, warnings: [] };
}
