export { safeHttpUrl as safeHref } from '../../contract/links.ts';
export { dueWords } from '../../contract/words.ts';

/**
 * One formatter per zone and style: building an Intl.DateTimeFormat costs far more than using one, and a brief
 * formats a time for every item it shows.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, made);
  }
  return made;
}

/** Times and dates in the brief's own zone, which is the user's, whatever the machine's zone is. */
export function clockTime(iso: string, timeZone: string): string {
  return formatter('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function dateTime(iso: string, timeZone: string): string {
  return formatter('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** "Tue", in a zone. */
export function shortWeekday(at: Date, timeZone: string): string {
  return formatter('en-GB', { timeZone, weekday: 'short' }).format(at);
}

/** YYYY-MM-DD in a zone. */
export function localDate(at: Date, timeZone: string): string {
  return formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function longDate(date: string): string {
  return formatter('en-GB', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** An id usable in the DOM and in `#fragment` links (item ids hold colons and slashes). */
export function itemDomId(itemId: string): string {
  return `item-${itemId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

const RELATIVE = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto', style: 'short' });

/** "2 h ago", "in 3 h", "yesterday": how far a moment is from now, to the unit that reads naturally. */
export function relativeTime(iso: string, now: Date): string {
  const seconds = (Date.parse(iso) - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  if (abs < 3600) return RELATIVE.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return RELATIVE.format(Math.round(seconds / 3600), 'hour');
  return RELATIVE.format(Math.round(seconds / 86_400), 'day');
}

/** "1 item", "3 items". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
