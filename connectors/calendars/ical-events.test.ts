import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../core/time.ts';
import { allInOne, EVENTS, EXPECTED, holidays, OWNER, USER_ZONE } from '../../test/fixtures/calendars/events.ts';
import { eventsInWindow, parseCalendar, type CalendarRef } from './ical-events.ts';

const ref: CalendarRef = { source: 'ics', id: 'cal', name: 'Work', account: OWNER, owners: [OWNER] };
const window = {
  start: zonedInstant('2025-03-31', '00:00', USER_ZONE),
  end: zonedInstant('2025-04-02', '00:00', USER_ZONE),
};
const shown = (items: ReturnType<typeof eventsInWindow>) =>
  items
    .map((i) => ({ title: i.title, start: i.start, end: i.end }))
    .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));

describe('iCalendar events in the brief window', () => {
  it('expands the series with EXDATE and moved occurrences, resolves zones, drops declined and cancelled', () => {
    const items = eventsInWindow(
      EVENTS.map((e) => parseCalendar(e.ics)),
      ref,
      window,
      USER_ZONE,
    );
    expect(shown(items)).toEqual(EXPECTED);
    const offsite = items.find((i) => i.title === 'Team offsite');
    expect(offsite?.meta).toMatchObject({ allDay: true });
    expect(items.find((i) => i.title === 'Early sync')).toMatchObject({ tags: ['tentative'] });
    const moved = items.find((i) => i.title === 'Stand-up (moved)');
    expect(moved?.meta).toMatchObject({ recurringEventId: 'standup@example.test' });
    expect(moved?.id).toBe('ics:cal/standup@example.test/2025-03-31T07:30:00.000Z');
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
  });

  it('reads the same events from one subscription file', () => {
    expect(shown(eventsInWindow([parseCalendar(allInOne())], ref, window, USER_ZONE))).toEqual(EXPECTED);
  });

  it('keeps declined invitations when the decliner is not the owner', () => {
    const items = eventsInWindow(
      EVENTS.map((e) => parseCalendar(e.ics)),
      { ...ref, owners: [] },
      window,
      USER_ZONE,
    );
    expect(items.map((i) => i.title)).toContain('Optional brown-bag');
  });

  it('finds the day in a large holiday file, yearly rules since 1900 included', () => {
    const items = eventsInWindow([parseCalendar(holidays())], ref, window, USER_ZONE);
    expect(items.map((i) => i.title)).toEqual(["April Fools' Day"]);
    expect(items[0]).toMatchObject({ start: '2025-04-01T00:00:00+02:00', end: '2025-04-02T00:00:00+02:00' });
  });
});
