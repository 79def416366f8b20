export { safeHttpUrl as safeHref } from '../../contract/links.ts';

/** Times and dates in the brief's own zone, which is the user's, whatever the machine's zone is. */
export function clockTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function dateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** YYYY-MM-DD in a zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', {
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

/**
 * A due date in words relative to the brief's day: "today 15:00", "tomorrow", "Wednesday 17:00", "9 Dec".
 * The extractive brief gives "YYYY-MM-DD[ HH:MM]"; a model's own words ("end of day Wednesday") pass as they are.
 */
export function dueWords(due: string, briefDate: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?$/.exec(due);
  if (!match?.[1]) return due;
  const day = match[1];
  const days = Math.round((Date.parse(`${day}T12:00:00Z`) - Date.parse(`${briefDate}T12:00:00Z`)) / 86_400_000);
  const at = new Date(`${day}T12:00:00Z`);
  let words: string;
  if (days === 0) words = 'today';
  else if (days === 1) words = 'tomorrow';
  else if (days > 1 && days < 7)
    words = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long' }).format(at);
  else words = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(at);
  return match[2] ? `${words} ${match[2]}` : words;
}
