import type { calendar_v3 } from '@googleapis/calendar';
import { SNIPPET_MAX, type Item } from '../../core/types.ts';
import { zonedInstant, zoneOffsetMinutes } from '../../core/time.ts';
import { collapseWhitespace, htmlToPlainText, truncate } from '../html-text.ts';

const ATTENDEES_MAX = 50;
const TITLE_MAX = 300;

/** An instant as ISO 8601 with the zone's offset at that instant: 2025-03-30T09:00:00+02:00. */
export function isoInZone(at: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(at, timeZone);
  const local = new Date(Math.floor(at.getTime() / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/**
 * Event times in the user's zone, whatever zone the event was created in and whatever the machine's: a timed
 * event is an instant (its RFC 3339 offset says which), an all-day event runs from local midnight of its date to
 * local midnight of its (exclusive) end date, so a DST day's all-day event lasts 23 or 25 hours.
 */
export function eventTimes(
  event: calendar_v3.Schema$Event,
  timeZone: string,
): { start: Date; end: Date; allDay: boolean } | undefined {
  const allDay = Boolean(event.start?.date && !event.start.dateTime);
  const at = (time: calendar_v3.Schema$EventDateTime | undefined): Date | undefined => {
    if (time?.dateTime) {
      const ms = Date.parse(time.dateTime);
      return Number.isNaN(ms) ? undefined : new Date(ms);
    }
    if (time?.date && /^\d{4}-\d{2}-\d{2}$/.test(time.date)) return zonedInstant(time.date, '00:00', timeZone);
    return undefined;
  };
  const start = at(event.start);
  if (!start) return undefined;
  const end = at(event.end) ?? start;
  return { start, end: end < start ? start : end, allDay };
}

export type Response = 'accepted' | 'declined' | 'tentative' | 'needsAction';

/** The user's own answer: their attendee entry, or "accepted" for events they organise alone. */
export function selfResponse(event: calendar_v3.Schema$Event): Response {
  const self = event.attendees?.find((a) => a.self);
  const status = self?.responseStatus;
  if (status === 'accepted' || status === 'declined' || status === 'tentative' || status === 'needsAction') {
    return status;
  }
  return 'accepted';
}

export function conferenceLink(event: calendar_v3.Schema$Event): string | undefined {
  const video = event.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri;
  const link = video ?? event.hangoutLink ?? undefined;
  return link && /^https:\/\//.test(link) ? link : undefined;
}

export function toEventItem(
  event: calendar_v3.Schema$Event,
  calendar: { id: string; name: string; account: string },
  timeZone: string,
): Item | undefined {
  if (!event.id || event.status === 'cancelled') return undefined;
  const response = selfResponse(event);
  if (response === 'declined') return undefined;
  const times = eventTimes(event, timeZone);
  if (!times) return undefined;
  const location = collapseWhitespace(event.location ?? '');
  const link = conferenceLink(event);
  const attendees = (event.attendees ?? []).slice(0, ATTENDEES_MAX).map((a) => ({
    email: (a.email ?? '').toLowerCase(),
    ...(a.displayName ? { name: collapseWhitespace(a.displayName) } : {}),
    response: a.responseStatus ?? 'needsAction',
    ...(a.self ? { self: true } : {}),
    ...(a.organizer ? { organizer: true } : {}),
  }));
  const description = event.description ? htmlToPlainText(event.description, SNIPPET_MAX) : '';
  const others = attendees.filter((a) => !a.self).length;
  const summary = [location, others ? `${others} other attendee${others === 1 ? '' : 's'}` : '', description]
    .filter(Boolean)
    .join(' · ');
  const item: Item = {
    id: `calendar:${event.id}`,
    kind: 'event',
    source: 'calendar',
    origin: calendar.name,
    title: truncate(collapseWhitespace(event.summary ?? ''), TITLE_MAX) || '(no title)',
    snippet: truncate(summary, SNIPPET_MAX),
    start: isoInZone(times.start, timeZone),
    end: isoInZone(times.end, timeZone),
    tags: response === 'tentative' ? ['tentative'] : [],
    meta: {
      account: calendar.account,
      calendarId: calendar.id,
      allDay: times.allDay,
      response,
      tentative: response === 'tentative',
      attendees,
      ...(location ? { location } : {}),
      ...(link ? { conferenceLink: link } : {}),
      ...(event.organizer?.email ? { organizer: event.organizer.email.toLowerCase() } : {}),
      ...(event.recurringEventId ? { recurringEventId: event.recurringEventId } : {}),
    },
  };
  if (event.htmlLink?.startsWith('https://')) item.url = event.htmlLink;
  if (description) item.body = description;
  return item;
}
