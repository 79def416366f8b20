import ICAL from 'ical.js';
import { addDays } from '../../core/time.ts';
import { SNIPPET_MAX, type Item } from '../../core/types.ts';
import { isoInZone } from '../google/calendar-event.ts';
import { collapseWhitespace, htmlToPlainText, truncate } from '../html-text.ts';
import { dateOf, toInstant } from './ical-time.ts';

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;

const TITLE_MAX = 300;
const ATTENDEES_MAX = 50;
/** A daily series begun decades ago is a few ten thousand steps; past this a rule is taken to be broken. */
const MAX_OCCURRENCES = 100_000;

export interface CalendarRef {
  /** The connector: "caldav" or "ics". */
  source: 'caldav' | 'ics';
  /** Stable within the source: an account and calendar. */
  id: string;
  name: string;
  account: string;
  /** The account owner's addresses, lower case, without "mailto:"; their declined invitations are dropped. */
  owners: string[];
}

export interface Window {
  start: Date;
  end: Date;
}

type Response = 'accepted' | 'declined' | 'tentative' | 'needsAction';

/** Parses iCalendar text; a file that does not parse is an error for the caller to word. */
export function parseCalendar(text: string): Component {
  return new ICAL.Component(ICAL.parse(text) as unknown[]);
}

/**
 * Every occurrence of the calendar's events that overlaps the window, as items shaped like Google's. Recurring
 * events are expanded here, whatever the server does: EXDATE drops an occurrence, an override (RECURRENCE-ID)
 * replaces one (moved, retitled or cancelled). Declined and cancelled occurrences are left out.
 */
export function eventsInWindow(calendars: Component[], ref: CalendarRef, window: Window, userZone: string): Item[] {
  const byUid = new Map<string, { master?: Component; overrides: Component[] }>();
  for (const calendar of calendars) {
    for (const event of calendar.getAllSubcomponents('vevent')) {
      const uid = String(event.getFirstPropertyValue('uid') ?? '');
      if (!uid) continue;
      const group = byUid.get(uid) ?? { overrides: [] };
      if (event.hasProperty('recurrence-id')) group.overrides.push(event);
      else group.master = event;
      byUid.set(uid, group);
    }
  }
  const items: Item[] = [];
  for (const [uid, group] of byUid) {
    const replaced = new Set<number>();
    for (const override of group.overrides) {
      const rid = override.getFirstPropertyValue('recurrence-id') as Time;
      replaced.add(toInstant(rid, userZone).getTime());
      const item = occurrence(override, uid, ref, window, userZone, { recurrenceId: rid, series: true });
      if (item) items.push(item);
    }
    if (group.master) items.push(...expand(group.master, uid, replaced, ref, window, userZone));
  }
  return items;
}

function expand(
  master: Component,
  uid: string,
  replaced: Set<number>,
  ref: CalendarRef,
  window: Window,
  userZone: string,
): Item[] {
  const event = new ICAL.Event(master);
  if (!event.isRecurring()) {
    const item = occurrence(master, uid, ref, window, userZone, { series: false });
    return item ? [item] : [];
  }
  // EXDATEs compared as instants too: a file may give them in UTC while the series is in a named zone.
  const excluded = new Set(
    master
      .getAllProperties('exdate')
      .flatMap((p) => p.getValues() as Time[])
      .map((t) => toInstant(t, userZone).getTime()),
  );
  const items: Item[] = [];
  // Occurrences long over are skipped before any work; an occurrence of this length ending in the window is not.
  const reach = spanMs(master, userZone);
  const iterator = event.iterator();
  // next() gives undefined once a bounded rule (COUNT, UNTIL) is used up, whatever its type says.
  for (
    let step = 0, next = iterator.next() as Time | undefined;
    next && step < MAX_OCCURRENCES;
    step++, next = iterator.next() as Time | undefined
  ) {
    const at = toInstant(next, userZone).getTime();
    if (at >= window.end.getTime()) break;
    if (at + reach <= window.start.getTime() || replaced.has(at) || excluded.has(at)) continue;
    const item = occurrence(master, uid, ref, window, userZone, { recurrenceId: next, series: true });
    if (item) items.push(item);
  }
  return items;
}

interface Slot {
  /** The occurrence of a series: its original start. Absent for a single event. */
  recurrenceId?: Time;
  series: boolean;
}

function occurrence(
  component: Component,
  uid: string,
  ref: CalendarRef,
  window: Window,
  userZone: string,
  slot: Slot,
): Item | undefined {
  if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return undefined;
  const response = ownerResponse(component, ref.owners);
  if (response === 'declined') return undefined;
  const times = occurrenceTimes(component, slot, userZone);
  if (!times) return undefined;
  if (times.end <= window.start || times.start >= window.end) return undefined;
  const text = (name: string) => collapseWhitespace(String(component.getFirstPropertyValue(name) ?? ''));
  const location = text('location');
  const description = htmlToPlainText(String(component.getFirstPropertyValue('description') ?? ''), SNIPPET_MAX);
  const attendees = component
    .getAllProperties('attendee')
    .slice(0, ATTENDEES_MAX)
    .map((p) => {
      const email = address(p.getFirstValue());
      const name = p.getParameter('cn');
      return {
        email,
        ...(typeof name === 'string' && name ? { name: collapseWhitespace(name) } : {}),
        response: partstat(p.getParameter('partstat')),
        ...(ref.owners.includes(email) ? { self: true } : {}),
      };
    });
  const others = attendees.filter((a) => !a.self).length;
  const summary = [location, others ? `${String(others)} other attendee${others === 1 ? '' : 's'}` : '', description]
    .filter(Boolean)
    .join(' · ');
  const instance = slot.recurrenceId ? `/${toInstant(slot.recurrenceId, userZone).toISOString()}` : '';
  const organizer = address(component.getFirstPropertyValue('organizer'));
  const url = String(component.getFirstPropertyValue('url') ?? '');
  const item: Item = {
    id: `${ref.source}:${ref.id}/${uid}${instance}`,
    kind: 'event',
    source: ref.source,
    origin: ref.name,
    title: truncate(text('summary'), TITLE_MAX) || '(no title)',
    snippet: truncate(summary, SNIPPET_MAX),
    start: isoInZone(times.start, userZone),
    end: isoInZone(times.end, userZone),
    tags: response === 'tentative' ? ['tentative'] : [],
    meta: {
      account: ref.account,
      calendarId: ref.id,
      allDay: times.allDay,
      response,
      tentative: response === 'tentative',
      attendees,
      ...(location ? { location } : {}),
      ...(organizer ? { organizer } : {}),
      ...(slot.series ? { recurringEventId: uid } : {}),
    },
  };
  if (url.startsWith('https://')) item.url = url;
  if (description) item.body = description;
  return item;
}

/** Start and end of one occurrence; an occurrence of a series keeps the series' length. */
function occurrenceTimes(
  component: Component,
  slot: Slot,
  userZone: string,
): { start: Date; end: Date; allDay: boolean } | undefined {
  const dtstart = component.getFirstPropertyValue('dtstart') as Time | null;
  if (!dtstart) return undefined;
  const dtend = component.getFirstPropertyValue('dtend') as Time | null;
  const duration = component.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  // An override carries its own DTSTART (maybe moved); a generated occurrence starts at its recurrence id.
  const isOverride = component.hasProperty('recurrence-id');
  const first = isOverride || !slot.recurrenceId ? dtstart : slot.recurrenceId;
  const allDay = dtstart.isDate;
  if (allDay) {
    const days = dtend?.isDate
      ? Math.max(
          1,
          Math.round(
            (Date.UTC(dtend.year, dtend.month - 1, dtend.day) -
              Date.UTC(dtstart.year, dtstart.month - 1, dtstart.day)) /
              86_400_000,
          ),
        )
      : Math.max(1, duration?.days ?? 1);
    const day = dateOf(first);
    return {
      start: toInstant(first, userZone),
      end: toInstant(ICAL.Time.fromDateString(addDays(day, days)), userZone),
      allDay,
    };
  }
  const start = toInstant(first, userZone);
  const length = dtend
    ? toInstant(dtend, userZone).getTime() - toInstant(dtstart, userZone).getTime()
    : (duration?.toSeconds() ?? 0) * 1000;
  return { start, end: new Date(start.getTime() + Math.max(0, length)), allDay };
}

/** How long an occurrence can last, generously (a DST day is 25 hours). */
function spanMs(component: Component, userZone: string): number {
  const start = component.getFirstPropertyValue('dtstart') as Time | null;
  const end = component.getFirstPropertyValue('dtend') as Time | null;
  const duration = component.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  const length =
    start && end
      ? toInstant(end, userZone).getTime() - toInstant(start, userZone).getTime()
      : (duration?.toSeconds() ?? 0) * 1000;
  return Math.max(length, 0) + 2 * 86_400_000;
}

function ownerResponse(component: Component, owners: string[]): Response {
  const own = component.getAllProperties('attendee').find((p) => owners.includes(address(p.getFirstValue())));
  return own ? partstat(own.getParameter('partstat')) : 'accepted';
}

function partstat(value: unknown): Response {
  switch (typeof value === 'string' ? value.toUpperCase() : '') {
    case 'DECLINED':
      return 'declined';
    case 'TENTATIVE':
      return 'tentative';
    case 'NEEDS-ACTION':
      return 'needsAction';
    default:
      return 'accepted';
  }
}

/** "mailto:Ann@Example.com" to "ann@example.com". */
export function address(value: unknown): string {
  return (typeof value === 'string' ? value : '')
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}
