import { addDays, localDate, localTime } from '../../core/time.ts';
import type { Brief, BriefItem, Item } from '../../core/types.ts';

/**
 * Nothing stale twice. An item an earlier brief already showed, unchanged since, is marked with the
 * date it was first shown: it never leads a section or the TL;DR again, is folded under "Seen before",
 * and a story is dropped altogether after two days. One that changed since (a meeting moved, a story
 * whose points jumped, a new message in a thread) is marked updated, with what changed.
 */

export interface RepeatMark {
  firstShownOn?: string;
  updated?: true;
  change?: string;
}

type ShownVersion = Pick<BriefItem, 'title' | 'snippet' | 'start' | 'end' | 'meta'>;

/** What earlier briefs showed: each item's first date and the version last shown; mail threads too. */
export interface ShownHistory {
  items: Map<string, { first: string; last: ShownVersion }>;
  threads: Map<string, string>;
}

/** Stories seen this many days ago or more are dropped, not folded. */
export const NEWS_REPEAT_DAYS = 2;
/** A jump in points or comments that makes a story news again: at least this much, and at least doubled. */
const POINTS_JUMP = 100;
const COMMENTS_JUMP = 50;

/** Earlier dates' briefs (the newest of each date), oldest first, into one history. */
export function historyOf(briefs: Brief[], today: string): ShownHistory {
  const history: ShownHistory = { items: new Map(), threads: new Map() };
  const byDate = new Map<string, Brief>();
  for (const brief of briefs) {
    if (brief.date >= today) continue;
    const kept = byDate.get(brief.date);
    if (!kept || brief.generatedAt > kept.generatedAt) byDate.set(brief.date, brief);
  }
  for (const [date, brief] of [...byDate].sort(([a], [b]) => a.localeCompare(b))) {
    for (const item of brief.sections.flatMap((s) => s.items)) {
      // A report folded under another was shown by its title only: its counts and text were not.
      const seen = [item, ...(item.alsoFrom ?? []).map((a) => ({ id: a.id, title: a.title, snippet: '' }))];
      for (const shown of seen) {
        const first = history.items.get(shown.id)?.first ?? date;
        history.items.set(shown.id, { first, last: shown });
      }
      const thread = item.meta?.threadId;
      if (item.kind === 'email' && typeof thread === 'string' && !history.threads.has(thread)) {
        history.threads.set(thread, date);
      }
    }
  }
  return history;
}

export function repeatMark(item: Item, history: ShownHistory, timezone: string): RepeatMark | undefined {
  const before = history.items.get(item.id);
  if (!before) {
    const thread = item.meta?.threadId;
    const shownOn = item.kind === 'email' && typeof thread === 'string' ? history.threads.get(thread) : undefined;
    return shownOn ? { updated: true, change: `new message in a thread shown on ${shownOn}` } : undefined;
  }
  const change = whatChanged(item, before.last, timezone);
  if (change) return { updated: true, change };
  // A meeting matters on its day whatever an earlier brief said about it ("tomorrow" yesterday is "next" today).
  if (item.kind === 'event') return undefined;
  return { firstShownOn: before.first };
}

/** Marks for every item shown before; items never shown get none. */
export function repeatMarks(items: Item[], history: ShownHistory, timezone: string): Map<string, RepeatMark> {
  const marks = new Map<string, RepeatMark>();
  for (const item of items) {
    const mark = repeatMark(item, history, timezone);
    if (mark) marks.set(item.id, mark);
  }
  return marks;
}

/** A story shown this long ago is old news: it leaves the brief rather than being folded. */
export function isExpiredRepeat(kind: Item['kind'], mark: RepeatMark | undefined, today: string): boolean {
  return kind === 'news' && !!mark?.firstShownOn && mark.firstShownOn <= addDays(today, -NEWS_REPEAT_DAYS);
}

function whatChanged(item: Item, last: ShownVersion, tz: string): string | undefined {
  if (item.kind === 'event') {
    if (item.start && last.start && item.start !== last.start) {
      const day = localDate(item.start, tz) === localDate(last.start, tz) ? '' : ` on ${localDate(item.start, tz)}`;
      return `moved from ${localTime(last.start, tz)} to ${localTime(item.start, tz)}${day}`;
    }
    if (item.end && last.end && item.end !== last.end) return `now ends at ${localTime(item.end, tz)}`;
    const place = item.meta?.location;
    if (typeof place === 'string' && place && place !== last.meta?.location) return `now in ${place}`;
  }
  const jump = counterJump(item.meta?.score, last.meta?.score, POINTS_JUMP, 'points');
  if (jump) return jump;
  const comments = counterJump(item.meta?.comments, last.meta?.comments, COMMENTS_JUMP, 'comments');
  if (comments) return comments;
  if (item.title !== last.title) return `retitled (was “${last.title}”)`;
  return undefined;
}

function counterJump(now: unknown, before: unknown, floor: number, what: string): string | undefined {
  if (typeof now !== 'number' || typeof before !== 'number') return undefined;
  if (now - before < floor || now < 2 * before) return undefined;
  return `${what} up from ${String(before)} to ${String(now)}`;
}
