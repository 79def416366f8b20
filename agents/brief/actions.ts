import * as chrono from 'chrono-node';
import { zoneOffsetMinutes } from '../../core/time.ts';
import type { ActionItem, Item } from '../../core/types.ts';
import { clip, sentencesOf } from './sentences.ts';

/**
 * Action items without a model: the sentences of an email that ask for something by a date or time
 * ("signed by Friday", "before our 2pm call"), with the date resolved by chrono in the user's zone,
 * relative to when the email was sent. Each cites its email.
 */

const MAX_ACTIONS = 8;
/** How much of the body is read: requests sit near the top, signatures and quoted threads below. */
const BODY_CHARS = 1200;
/** Words that make a dated sentence a request or a deadline rather than news ("we met last week"). */
const REQUEST =
  /\b(please|pls|can you|could you|would you|will you|need(s|ed)? (you|your|to|it|this|the)|must|have to|let me know|confirm|sign|send|submit|review|approve|reply|respond|rsvp|deadline|due|expires?|before|by|until|no later than)\b/i;
/** Mail that is not from someone who needs something from the user. */
const NOT_PERSONAL = ['CATEGORY_PROMOTIONS', 'CATEGORY_SOCIAL', 'CATEGORY_FORUMS'];
/**
 * A deadline is stated, not just mentioned: "by Friday", "before our 2pm call", "due on the 10th", "is
 * December 12". A date after other words ("thanks for Monday's workshop", "the minutes from Tuesday") is not one.
 */
const STATED = /\b(by|before|until|till|due|deadline|no later than|on|in|at|is)\b(\s+[\w']+){0,2}\s*$/i;
/** Dates that are deadlines by themselves: "tomorrow", "next Tuesday", "EOD", "in 2 days". */
const SELF_STATED = /^(today|tonight|tomorrow|next|this|eod|cob|end|close|in \d)/i;
/** forwardDate makes chrono read "last Monday" as next Monday; these words mark a date as history. */
const PAST = /\b(last|ago|yesterday|previous|earlier|past)\b/i;

/** chrono's English parser plus the office shorthand it lacks: "EOD", "COB", "end of day". */
const parser = chrono.casual.clone();
parser.parsers.push({
  pattern: () => /\b(?:eod|cob|close of business|end of (?:the )?(?:business )?day)\b/i,
  extract: (context) => {
    const components = context.createParsingComponents();
    const ref = context.reference.getDateWithAdjustedTimezone();
    components.imply('year', ref.getFullYear());
    components.imply('month', ref.getMonth() + 1);
    components.imply('day', ref.getDate());
    components.assign('hour', 17);
    components.assign('minute', 0);
    return components;
  },
});

export interface DeadlineFound {
  /** Local "YYYY-MM-DD", or "YYYY-MM-DD HH:MM" when the email names a time. */
  due: string;
  /** The words that stated it ("by Friday"). */
  stated: string;
  sentence: string;
}

/** The first request with a date in an email, or undefined. */
export function findDeadline(item: Item, timezone: string, fallbackNow: Date): DeadlineFound | undefined {
  if (item.kind !== 'email' || item.tags.some((t) => NOT_PERSONAL.includes(t))) return undefined;
  const sent = item.publishedAt ? new Date(item.publishedAt) : fallbackNow;
  const reference = { instant: sent, timezone: zoneOffsetMinutes(sent, timezone) };
  const text = item.body ? item.body.slice(0, BODY_CHARS) : item.snippet;
  for (const sentence of [item.title, ...sentencesOf(text)]) {
    if (!REQUEST.test(sentence)) continue;
    for (const result of parser.parse(sentence, reference, { forwardDate: true })) {
      const start = result.start;
      if (PAST.test(sentence.slice(Math.max(0, result.index - 10), result.index + result.text.length))) continue;
      const before = sentence.slice(Math.max(0, result.index - 30), result.index);
      if (!STATED.test(before) && !SELF_STATED.test(result.text)) continue;
      // A date earlier than the email itself is history ("as we agreed on Monday"), not a deadline.
      if (start.date().getTime() < sent.getTime() - 12 * 3_600_000) continue;
      if (!start.isCertain('day') && !start.isCertain('weekday') && !start.isCertain('hour')) continue;
      const date = [start.get('year'), start.get('month'), start.get('day')].map((n, i) => pad(n ?? 0, i ? 2 : 4));
      const time = start.isCertain('hour')
        ? ` ${pad(start.get('hour') ?? 0, 2)}:${pad(start.get('minute') ?? 0, 2)}`
        : '';
      return { due: `${date.join('-')}${time}`, stated: result.text, sentence: clip(sentence, 200) };
    }
  }
  return undefined;
}

export function extractActionItems(items: Item[], timezone: string, now: Date): ActionItem[] {
  const found: (ActionItem & { due: string })[] = [];
  for (const item of items) {
    const deadline = findDeadline(item, timezone, now);
    if (!deadline) continue;
    found.push({ text: deadline.sentence, itemIds: [item.id], due: deadline.due });
    if (found.length >= MAX_ACTIONS) break;
  }
  return found.sort((a, b) => a.due.localeCompare(b.due));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
