import { createDAVClient, type DAVCalendar, type DAVObject } from 'tsdav';
import { z } from 'zod';
import { accountKey, type CaldavAccountConfig, type StoredAccount } from '../../core/accounts.ts';
import { AppError, describeError } from '../../core/errors.ts';
import type { Item } from '../../core/types.ts';
import { forEachAccount, hasAccounts, type AccountDeps } from '../accounts/run.ts';
import type { Connector, ConnectorContext, ConnectorResult } from '../types.ts';
import { boundedFetch, type FetchLimits } from './dav-fetch.ts';
import { eventsInWindow, parseCalendar } from './ical-events.ts';
import { briefWindow } from './window.ts';

/**
 * Sync state per calendar: the local date of the window it was filled for (a new day means a new query), the
 * collection's sync-token and ctag as last seen, and its objects (iCalendar text with its etag).
 */
const stateSchema = z.object({
  window: z.string(),
  syncToken: z.string().optional(),
  ctag: z.string().optional(),
  objects: z.array(z.object({ url: z.string(), etag: z.string().optional(), data: z.string() })),
});
type CalendarState = z.infer<typeof stateSchema>;
const accountStateSchema = z.record(z.string(), stateSchema);

export function caldavConnector(deps?: AccountDeps): Connector {
  return {
    id: 'caldav',
    label: 'Calendars (CalDAV)',
    kinds: ['event'],
    enabled: (settings) => settings.sources.caldav.enabled && hasAccounts(deps, 'caldav'),
    fetch: (context) =>
      deps
        ? forEachAccount(deps, 'caldav', context, 'CalDAV', (account, password) =>
            syncAccount(account, password, context),
          )
        : Promise.resolve({ items: [], warnings: [] }),
  };
}

export type DavClient = Awaited<ReturnType<typeof createDAVClient>>;

/** Logs in (principal and calendar home discovery) with every request bounded. */
export async function davClient(
  config: CaldavAccountConfig,
  password: string,
  limits: FetchLimits,
): Promise<DavClient> {
  try {
    return await createDAVClient({
      serverUrl: config.url,
      credentials: { username: config.user, password },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
      fetch: boundedFetch(limits, config.user),
    });
  } catch (error) {
    throw davProblem(error, config);
  }
}

/** Calendars that hold events (not only tasks or journals). */
export async function eventCalendars(client: DavClient, config: CaldavAccountConfig): Promise<DAVCalendar[]> {
  try {
    const all = await client.fetchCalendars();
    return all.filter((c) => !c.components || c.components.includes('VEVENT'));
  } catch (error) {
    throw davProblem(error, config);
  }
}

async function syncAccount(
  account: StoredAccount,
  password: string,
  context: ConnectorContext,
): Promise<ConnectorResult> {
  const config = account.caldav;
  if (!config) throw new AppError('bad_account', `${accountKey(account)} has no CalDAV settings`);
  const limits = {
    signal: context.signal,
    timeoutMs: context.requestTimeoutMs,
    maxBytes: context.settings.refresh.maxResponseBytes,
  };
  const client = await davClient(config, password, limits);
  const calendars = await eventCalendars(client, config);
  const tz = context.settings.location.timezone;
  const window = briefWindow(context.clock.now(), tz);
  const items: Item[] = [];
  const warnings: string[] = [];
  // One entry per account, so disconnecting can forget it in one go.
  const key = `caldav:${accountKey(account)}`;
  const stored = accountStateSchema.safeParse(context.cache.getValue(key));
  const states: Record<string, CalendarState> = {};
  for (const calendar of calendars) {
    const old = stored.success ? stored.data[calendar.url] : undefined;
    const previous = old?.window === window.date ? old : undefined;
    let state: CalendarState;
    try {
      state = await syncCalendar(client, calendar, previous, window);
    } catch (error) {
      throw davProblem(error, config);
    }
    states[calendar.url] = state;
    const name = typeof calendar.displayName === 'string' && calendar.displayName ? calendar.displayName : 'Calendar';
    const ref = {
      source: 'caldav' as const,
      id: `${accountKey(account)}:${calendar.url}`,
      name,
      account: account.address,
      owners: config.owners,
    };
    const calendarsText = [];
    for (const object of state.objects) {
      try {
        calendarsText.push(parseCalendar(object.data));
      } catch (error) {
        warnings.push(`${name}: one event could not be read (${describeError(error)})`);
      }
    }
    items.push(...eventsInWindow(calendarsText, ref, window, tz));
  }
  context.cache.putValue(key, states);
  return { items, warnings };
}

/**
 * Unchanged sync-token or ctag: the stored objects as they are, no REPORT sent. Changed: the server's changes
 * since the token (sync-collection) or, without one, the objects again. A token the server no longer knows,
 * or a new day, means the window's objects are queried afresh.
 */
async function syncCalendar(
  client: DavClient,
  calendar: DAVCalendar,
  previous: CalendarState | undefined,
  window: ReturnType<typeof briefWindow>,
): Promise<CalendarState> {
  const marks = {
    ...(calendar.syncToken ? { syncToken: calendar.syncToken } : {}),
    ...(calendar.ctag ? { ctag: calendar.ctag } : {}),
  };
  const same =
    previous &&
    ((marks.syncToken && marks.syncToken === previous.syncToken) || (marks.ctag && marks.ctag === previous.ctag));
  if (previous && same) return previous;
  const reports: unknown = calendar.reports;
  if (previous?.syncToken && Array.isArray(reports) && reports.includes('syncCollection')) {
    try {
      const synced = await client.smartCollectionSync({
        collection: {
          ...calendar,
          syncToken: previous.syncToken,
          objects: previous.objects,
          objectMultiGet: client.calendarMultiGet,
        },
        method: 'webdav',
      });
      return { window: window.date, ...marks, objects: objectsOf(synced.objects) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The server forgot the token (403/409 valid-sync-token): fall through to a fresh query.
    }
  }
  const objects = await client.fetchCalendarObjects({
    calendar,
    timeRange: { start: window.start.toISOString(), end: window.end.toISOString() },
    urlFilter: () => true,
  });
  return { window: window.date, ...marks, objects: objectsOf(objects) };
}

function objectsOf(objects: DAVObject[]): CalendarState['objects'] {
  return objects
    .filter((o) => typeof o.data === 'string' && o.data.includes('BEGIN:VCALENDAR'))
    .map((o) => ({ url: o.url, data: o.data as string, ...(o.etag ? { etag: o.etag } : {}) }));
}

export function davProblem(error: unknown, config: CaldavAccountConfig): AppError {
  if (error instanceof AppError) return error;
  let host = config.url;
  try {
    host = new URL(config.url).host;
  } catch {
    // keep the text as given
  }
  return new AppError('caldav', `CalDAV at ${host} failed (${describeError(error)})`, {
    hint: 'Check the URL: it is the server address or the calendar home your provider gives for CalDAV',
    cause: error,
  });
}
