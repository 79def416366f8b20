import ICAL from 'ical.js';
import { zonedInstant } from '../../core/time.ts';

type Time = InstanceType<typeof ICAL.Time>;

const ianaCache = new Map<string, boolean>();

function isIana(zone: string): boolean {
  let known = ianaCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    ianaCache.set(zone, known);
  }
  return known;
}

/** "/mozilla.org/20050126_1/Europe/Berlin" and the like name an IANA zone in their last segments. */
function ianaName(tzid: string): string | undefined {
  if (isIana(tzid)) return tzid;
  const parts = tzid.split('/').filter(Boolean);
  for (let take = Math.min(3, parts.length); take >= 2; take--) {
    const candidate = parts.slice(-take).join('/');
    if (isIana(candidate)) return candidate;
  }
  return undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function dateOf(time: Time): string {
  return `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
}

/**
 * The instant an iCalendar time stands for, whatever the machine's zone: UTC as it is; a TZID the file defines
 * (VTIMEZONE) by that definition; a TZID it does not define but that names an IANA zone by the IANA rules; a
 * floating time, a date, or a zone nobody knows, in the user's zone.
 */
export function toInstant(time: Time, userZone: string): Date {
  if (time.isDate) return zonedInstant(dateOf(time), '00:00', userZone);
  const zone = time.zone as (typeof time.zone & { component?: unknown }) | undefined;
  const tzid = zone?.tzid && zone.tzid !== 'floating' ? zone.tzid : (time as Time & { timezone?: string }).timezone;
  if (tzid === 'UTC' || tzid === 'Z' || zone === ICAL.Timezone.utcTimezone) {
    return new Date(Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second));
  }
  if (zone?.component) return new Date(time.toUnixTime() * 1000);
  const iana = tzid ? ianaName(tzid) : undefined;
  const clock = `${pad(time.hour)}:${pad(time.minute)}`;
  const at = zonedInstant(dateOf(time), clock, iana ?? userZone);
  return new Date(at.getTime() + time.second * 1000);
}
