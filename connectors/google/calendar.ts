import type { calendar_v3 } from '@googleapis/calendar';
import type { OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import { addDays, localDate, zonedInstant } from '../../core/time.ts';
import type { Item } from '../../core/types.ts';
import type { Connector, ConnectorContext, ConnectorResult } from '../types.ts';
import { forEachAccount, hasGoogleAccounts, type GoogleConnectorDeps } from './account-auth.ts';
import { calendarApi, callOptions, statusOf } from './api.ts';
import { withBackoff } from './backoff.ts';
import { toEventItem } from './calendar-event.ts';

/**
 * Sync state per account and calendar: the syncToken, the local date of the window it was taken for (the window
 * is today and tomorrow, so a new day means a new full sync) and the events it stands for.
 */
const stateSchema = z.object({
  window: z.string(),
  syncToken: z.string(),
  name: z.string(),
  events: z.array(z.custom<calendar_v3.Schema$Event>()),
});
type CalendarState = z.infer<typeof stateSchema>;

export function calendarConnector(deps?: GoogleConnectorDeps): Connector {
  return {
    id: 'calendar',
    label: 'Google Calendar',
    kinds: ['event'],
    enabled: (settings) => settings.sources.calendar.enabled && hasGoogleAccounts(deps, settings),
    fetch: async (context) => {
      if (!deps) return { items: [], warnings: [] };
      const result = await forEachAccount(deps, context, 'Calendar', (account, client) =>
        syncAccount(account.address, client, context),
      );
      // The same meeting seen from two connected accounts is one item.
      const seen = new Set<string>();
      return { ...result, items: result.items.filter((i) => !seen.has(i.id) && seen.add(i.id)) };
    },
  };
}

async function syncAccount(account: string, client: OAuth2Client, context: ConnectorContext): Promise<ConnectorResult> {
  const api = calendarApi(client, context.settings.google);
  const options = callOptions({
    signal: context.signal,
    timeoutMs: context.requestTimeoutMs,
    maxBytes: context.settings.refresh.maxResponseBytes,
  });
  const ids = await calendarIds(api, options, context);
  const tz = context.settings.location.timezone;
  const today = localDate(context.clock.now(), tz);
  const window = { min: zonedInstant(today, '00:00', tz), max: zonedInstant(addDays(today, 2), '00:00', tz) };
  const items: Item[] = [];
  for (const id of ids) {
    const key = `calendar:${account}:${id}`;
    const parsed = stateSchema.safeParse(context.cache.getValue(key));
    const previous = parsed.success && parsed.data.window === today ? parsed.data : undefined;
    const state =
      (previous && (await incremental(api, options, context, id, previous))) ??
      (await fullSync(api, options, context, id, today, window));
    context.cache.putValue(key, state);
    for (const event of state.events) {
      const item = toEventItem(event, { id, name: state.name, account }, tz);
      if (!item?.start || !item.end) continue;
      // Incremental changes can be anywhere in time; only today and tomorrow belong in the brief.
      if (Date.parse(item.end) <= window.min.getTime() || Date.parse(item.start) >= window.max.getTime()) continue;
      items.push(item);
    }
  }
  return { items, warnings: [] };
}

type Options = ReturnType<typeof callOptions>;

async function calendarIds(api: calendar_v3.Calendar, options: Options, context: ConnectorContext): Promise<string[]> {
  const wanted = context.settings.sources.calendar.calendars;
  if (wanted !== 'all') return wanted;
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await withBackoff(
      () => api.calendarList.list({ maxResults: 250, ...(pageToken ? { pageToken } : {}) }, options),
      context,
    );
    for (const entry of page.data.items ?? []) if (entry.id && !entry.hidden && !entry.deleted) ids.push(entry.id);
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return ids;
}

interface EventPages {
  events: calendar_v3.Schema$Event[];
  syncToken: string;
  name: string;
}

async function listAll(
  api: calendar_v3.Calendar,
  options: Options,
  context: ConnectorContext,
  params: calendar_v3.Params$Resource$Events$List,
): Promise<EventPages> {
  const events: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  let syncToken = '';
  let name = params.calendarId ?? '';
  do {
    const page = await withBackoff(
      () => api.events.list({ ...params, maxResults: 250, ...(pageToken ? { pageToken } : {}) }, options),
      context,
    );
    events.push(...(page.data.items ?? []));
    name = page.data.summary ?? name;
    pageToken = page.data.nextPageToken ?? undefined;
    syncToken = page.data.nextSyncToken ?? syncToken;
  } while (pageToken);
  return { events, syncToken, name };
}

/** Today and tomorrow, recurrences expanded into their instances (singleEvents). */
async function fullSync(
  api: calendar_v3.Calendar,
  options: Options,
  context: ConnectorContext,
  calendarId: string,
  today: string,
  window: { min: Date; max: Date },
): Promise<CalendarState> {
  const pages = await listAll(api, options, context, {
    calendarId,
    singleEvents: true,
    timeMin: window.min.toISOString(),
    timeMax: window.max.toISOString(),
  });
  return { window: today, syncToken: pages.syncToken, name: pages.name, events: pages.events.filter(live) };
}

/** Changes since the syncToken; undefined when Google expired it (410 Gone): sync fully again. */
async function incremental(
  api: calendar_v3.Calendar,
  options: Options,
  context: ConnectorContext,
  calendarId: string,
  previous: CalendarState,
): Promise<CalendarState | undefined> {
  if (!previous.syncToken) return undefined;
  let pages: EventPages;
  try {
    pages = await listAll(api, options, context, { calendarId, singleEvents: true, syncToken: previous.syncToken });
  } catch (error) {
    if (statusOf(error) === 410) return undefined;
    throw error;
  }
  const byId = new Map(previous.events.map((e) => [e.id ?? '', e]));
  for (const event of pages.events) {
    if (!event.id) continue;
    if (event.status === 'cancelled') byId.delete(event.id);
    else byId.set(event.id, event);
  }
  return { ...previous, syncToken: pages.syncToken || previous.syncToken, events: [...byId.values()] };
}

function live(event: calendar_v3.Schema$Event): boolean {
  return event.status !== 'cancelled';
}
