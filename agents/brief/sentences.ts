import { localDate, localTime } from '../../core/time.ts';
import type { BriefItem } from '../../core/types.ts';

/**
 * Short sentences for the brief without a model, built only from the items' own words: the lead
 * sentence of a story, the sender and the ask of an email, the next meeting and how soon it is.
 */

const LEAD_MAX = 180;
const MIN_WORDS = 4;
/** A sentence that asks the reader to do something. */
const ASK =
  /\b(please|pls|can you|could you|would you|will you|need(s)? (you|your|to)|must|have to|let me know|confirm|sign(ed)?|send|review|approve|reply|respond|rsvp|deadline|due|by (end of|eod|cob|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|noon|\d))\b/i;

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

export function sentencesOf(text: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  return [...segmenter.segment(flat)].map((s) => s.segment.trim()).filter(Boolean);
}

/** Cut at a word boundary, with an ellipsis, so a sentence never ends mid-word. */
export function clip(text: string, max = LEAD_MAX): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–—-]+$/, '')}…`;
}

/** The first real sentence of a text (at least a few words), or undefined for a bare domain or a fragment. */
export function leadSentence(text: string): string | undefined {
  const first = sentencesOf(text).find((s) => s.split(' ').length >= MIN_WORDS);
  return first ? clip(first) : undefined;
}

/** "Dana Reyes <dana@x>" → "Dana Reyes"; a bare address stays as it is. */
export function senderName(author: string | undefined): string | undefined {
  if (!author) return undefined;
  const name = author
    .replace(/<[^>]*>/, '')
    .replace(/["']/g, '')
    .trim();
  return name || author.replace(/[<>]/g, '').trim() || undefined;
}

/** The sentence of an email that asks for something, subject first. */
export function askSentence(item: Pick<BriefItem, 'title' | 'snippet'>): string | undefined {
  const ask = [item.title, ...sentencesOf(item.snippet)].find((s) => ASK.test(s) && s.split(' ').length >= 3);
  return ask ? clip(ask) : undefined;
}

function ending(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

export function emailSentence(item: BriefItem): string {
  const who = senderName(item.author) ?? 'Someone';
  const ask = askSentence(item);
  if (ask) return ending(ask === item.title ? `${who}: ${ask}` : `${who} asks: ${ask}`);
  const lead = leadSentence(item.snippet);
  return lead ? ending(`${who} on “${item.title}”: ${lead}`) : ending(`${who} wrote about “${item.title}”`);
}

/** A TL;DR bullet is read at a glance: title and lead together stay within this many characters. */
const NEWS_BULLET_MAX = 150;
/** Where a sentence can end early and still say something whole. */
const CLAUSE_BREAK = /(?:[,;:] | (?:and|but|as|while|after|before|because|which|with) )/g;
const CLAUSE_MIN_WORDS = 5;

/** The lead, or its first clause(s) when the whole lead does not fit: cut where a clause ends, never mid-word. */
function leadWithin(lead: string, room: number): string | undefined {
  if (lead.length <= room) return lead;
  let best: string | undefined;
  for (const match of lead.matchAll(CLAUSE_BREAK)) {
    const head = lead.slice(0, match.index).replace(/[\s,;:]+$/, '');
    if (head.length + 1 > room) break;
    if (head.split(' ').length >= CLAUSE_MIN_WORDS) best = `${head}.`;
  }
  return best;
}

export function newsSentence(item: BriefItem): string {
  const lead = leadSentence(item.snippet);
  const score = item.meta?.score;
  const points = typeof score === 'number' ? `${String(score)} point${score === 1 ? '' : 's'}` : '';
  const others = item.alsoFrom?.length ? `also in ${String(item.alsoFrom.length)} more` : '';
  const where = [item.origin, points, others].filter(Boolean).join(', ');
  // The title says what the story is; the lead says what happened. Both, when the lead is a real sentence
  // and the two fit in a glance; else the title alone.
  const title = clip(item.title, NEWS_BULLET_MAX);
  const short = lead && !lead.startsWith(item.title) ? leadWithin(lead, NEWS_BULLET_MAX - title.length - 2) : undefined;
  const text = short ? ending(`${title}: ${short}`) : title;
  return `${text}${where ? ` (${where})` : ''}`;
}

/** "in 3 h", "in 45 min", "now" (under way). */
export function howSoon(start: string, end: string | undefined, now: Date): string {
  const ms = Date.parse(start) - now.getTime();
  if (ms <= 0) return Date.parse(end ?? start) > now.getTime() ? 'under way' : 'over';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${String(minutes)} min`;
  // Rounded to five minutes past the hour: "in 1 h 30 min" reads better than "in 1 h 27 min".
  const rounded = Math.round(minutes / 5) * 5;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest ? `in ${String(hours)} h ${String(rest)} min` : `in ${String(hours)} h`;
}

export function isTimed(event: Pick<BriefItem, 'meta'>): boolean {
  return event.meta?.allDay !== true;
}

/**
 * The next thing on today's calendar: a timed meeting still to come (or under way) always wins over
 * an all-day entry, which is a backdrop (a holiday, a trip), not an appointment.
 */
export function nextEvent(events: BriefItem[], now: Date): BriefItem | undefined {
  const upcoming = events.filter((e) => Date.parse(e.end ?? e.start ?? '') > now.getTime());
  const timed = upcoming
    .filter(isTimed)
    .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? '') || a.id.localeCompare(b.id));
  return timed[0] ?? upcoming[0];
}

export function calendarSentence(
  events: BriefItem[],
  now: Date,
  timezone: string,
): { text: string; itemIds: string[] } | null {
  const today = events.filter((e) => localDate(e.start ?? '', timezone) === localDate(now, timezone));
  if (!today.length) return null;
  const count = today.length === 1 ? '1 event today' : `${String(today.length)} events today`;
  const next = nextEvent(today, now);
  if (!next) return { text: `${count}, all done.`, itemIds: today.map((e) => e.id) };
  const where = typeof next.meta?.location === 'string' && next.meta.location ? ` (${next.meta.location})` : '';
  if (!isTimed(next)) return { text: `Today: ${next.title}${where}, all day; ${count}.`, itemIds: [next.id] };
  const soon = howSoon(next.start ?? '', next.end, now);
  const prep = next.related?.length
    ? `; ${String(next.related.length)} related item${next.related.length === 1 ? '' : 's'} to read first`
    : '';
  return {
    text: `Next: ${next.title} at ${localTime(next.start ?? '', timezone)}, ${soon}${where}${prep}; ${count}.`,
    itemIds: [next.id],
  };
}
