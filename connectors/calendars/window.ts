import { addDays, localDate, zonedInstant } from '../../core/time.ts';

/** The days a brief covers, as for Google Calendar: today and tomorrow in the user's zone. */
export function briefWindow(now: Date, timeZone: string): { date: string; start: Date; end: Date } {
  const date = localDate(now, timeZone);
  return { date, start: zonedInstant(date, '00:00', timeZone), end: zonedInstant(addDays(date, 2), '00:00', timeZone) };
}
