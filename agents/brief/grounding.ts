import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import { localDate, localTime } from '../../core/time.ts';
import type { BriefItem, Item } from '../../core/types.ts';
import type { LlmBrief } from './llm-output.ts';
import { sentencesOf } from './sentences.ts';

/**
 * Lines that say only what their sources say. Every model-written line's names, numbers and dates must
 * occur in the items it cites (case and simple inflection aside). A line that fails is re-cited to items
 * that do support it, or dropped, and the count is kept for the brief.
 */

export interface GroundingStats {
  checked: number;
  recited: number;
  dropped: number;
}

/** The text an item offers as support, with its times as the model saw them (date, weekday, HH:MM). */
export type SourceText = (itemId: string) => string | undefined;

const STOP = new Set(eng);
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });
const MONTHS = 'january february march april may june july august september october november december'.split(' ');
const DAYS = 'monday tuesday wednesday thursday friday saturday sunday'.split(' ');
/** Times in any spelling, to one form: "3pm", "3 p.m.", "15:00" → "15:00". */
const TIME = /\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?\b|\b(\d{1,2}):(\d{2})\b/gi;
const NUMBER = /\d+(?:[.,]\d+)*/g;
/** A word, with the inner marks names and figures carry (O'Neil, AT&T, U.S.). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’&.-]*/gu;

export function itemSourceText(item: Item | BriefItem, timezone: string): string {
  const times = [item.start, item.end, item.publishedAt].flatMap((t) => {
    if (!t) return [];
    const date = localDate(t, timezone);
    const [y, m, d] = date.split('-').map(Number);
    const weekday = WEEKDAY.format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
    // Not the ISO date itself: its digits ("12" of December) would pass for any figure.
    return [weekday, MONTHS[(m ?? 1) - 1] ?? '', String(d), String(y), localTime(t, timezone)];
  });
  const body = 'body' in item && item.body ? item.body.slice(0, 2000) : '';
  return [item.title, item.snippet, body, item.author, item.origin, ...times].filter(Boolean).join(' \n ');
}

/** The checkable facts of a line: names, figures, times, dates, each normalised. */
export function claimsOf(text: string): string[] {
  const claims = new Set<string>();
  const times = normaliseTimes(text);
  for (const time of times.found) claims.add(time);
  for (const number of times.rest.match(NUMBER) ?? []) claims.add(normaliseNumber(number));
  for (const sentence of sentencesOf(times.rest)) {
    const words = [...sentence.matchAll(WORD)].map((m) => m[0].replace(/[.'’]+$/, ''));
    words.forEach((word, index) => {
      const lower = word.toLowerCase();
      if (MONTHS.includes(lower) || DAYS.includes(lower)) {
        claims.add(lower);
        return;
      }
      // The first word of a sentence is capitalised anyway ("Watch Northwind", "Priya Raman asks"): a name's
      // other words and the rest of the sentence still carry the claims.
      if (index === 0 || !/^\p{Lu}/u.test(word) || /^\d/.test(word) || STOP.has(lower)) return;
      claims.add(stem(lower));
    });
  }
  return [...claims];
}

/** Which of the claims the sources do not contain. */
export function missingClaims(claims: string[], sources: string[]): string[] {
  const bag = supportBag(sources.join(' \n '));
  return claims.filter((c) => !bag.has(c));
}

function supportBag(text: string): Set<string> {
  const times = normaliseTimes(text);
  const bag = new Set<string>(times.found);
  for (const number of times.rest.match(NUMBER) ?? []) bag.add(normaliseNumber(number));
  for (const word of times.rest.match(WORD) ?? []) {
    const lower = word.replace(/[.'’]+$/, '').toLowerCase();
    bag.add(lower);
    bag.add(stem(lower));
    // "Reyes's", "Northwind-based": the parts count too.
    for (const part of lower.split(/[-'’&.]/)) if (part) bag.add(stem(part));
  }
  return bag;
}

function stem(word: string): string {
  return stemmer(word.replace(/['’]s$/, ''));
}

function normaliseNumber(number: string): string {
  return number.replace(/,(?=\d{3}\b)/g, '').replace(/\.0+$/, '');
}

function normaliseTimes(text: string): { found: string[]; rest: string } {
  const found: string[] = [];
  // Groups that did not take part are undefined, whatever the callback's types say.
  const rest = text.replace(TIME, (...groups: (string | undefined)[]) => {
    const [, h12, m12, ap, h24, m24] = groups;
    let hour = Number(h12 ?? h24);
    const minute = m12 ?? m24 ?? '00';
    if (ap) hour = (hour % 12) + (ap.toLowerCase() === 'p' ? 12 : 0);
    found.push(`${String(hour).padStart(2, '0')}:${minute}`);
    return ' ';
  });
  return { found, rest };
}

interface Cited {
  text: string;
  itemIds: string[];
}

/**
 * The model's brief with every line checked: kept, re-cited to items that support it, or dropped.
 * `candidates` are the ids a line may be re-cited to (the items the model was shown).
 */
export function groundBrief(
  output: LlmBrief,
  source: SourceText,
  candidates: string[],
): { output: LlmBrief; stats: GroundingStats } {
  const stats: GroundingStats = { checked: 0, recited: 0, dropped: 0 };
  const texts = new Map<string, string>();
  const textOf = (id: string): string => {
    let text = texts.get(id);
    if (text === undefined) {
      text = source(id) ?? '';
      texts.set(id, text);
    }
    return text;
  };
  const check = <T extends Cited>(line: T): T | undefined => {
    stats.checked++;
    const claims = claimsOf(line.text);
    if (!missingClaims(claims, line.itemIds.map(textOf)).length) return line;
    const support = recite(claims, line.itemIds, candidates, textOf);
    if (support) {
      stats.recited++;
      return { ...line, itemIds: support };
    }
    stats.dropped++;
    return undefined;
  };
  const all = candidates.map(textOf);
  const summary = sentencesOf(output.summary ?? '').filter((sentence) => {
    stats.checked++;
    const ok = !missingClaims(claimsOf(sentence), all).length;
    if (!ok) stats.dropped++;
    return ok;
  });
  const whyItMatters = output.whyItMatters.filter((why) => {
    stats.checked++;
    const ok = !missingClaims(claimsOf(why.text), [textOf(why.itemId)]).length;
    if (!ok) stats.dropped++;
    return ok;
  });
  return {
    output: {
      tldr: output.tldr.flatMap((b) => check(b) ?? []),
      summary: summary.join(' '),
      actionItems: output.actionItems.flatMap((a) => check(a) ?? []),
      insights: output.insights.flatMap((i) => check(i) ?? []),
      whyItMatters,
    },
    stats,
  };
}

/** The cited items plus one more, or one other item alone, that contain every claim; else nothing. */
function recite(claims: string[], cited: string[], candidates: string[], textOf: (id: string) => string) {
  const base = cited.map(textOf);
  for (const id of candidates) {
    if (cited.includes(id)) continue;
    if (!missingClaims(claims, [textOf(id)]).length) return [id];
  }
  for (const id of candidates) {
    if (cited.includes(id)) continue;
    if (!missingClaims(claims, [...base, textOf(id)]).length) return [...cited, id];
  }
  return undefined;
}
