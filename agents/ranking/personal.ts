import type { Item } from '../../core/types.ts';
import { localDate } from '../../core/time.ts';
import { snapshotOf } from '../preferences/features.ts';
import type { Candidate } from '../../core/feedback.ts';
import type { PreferenceModel } from '../preferences/model.ts';
import { describeMute } from '../preferences/events.ts';

export type { Candidate } from '../../core/feedback.ts';
import { scoreItem, type RankContext } from './baseline.ts';
import { explore, type ExploreFacts } from './explore.ts';
import type { RankedItem } from '../workflow/state.ts';

/**
 * The ranker the brief uses: the baseline prior (kind, recency, source signal) moved up or down by what
 * the user taught it, with mutes as hard rules. The preference moves an item by PREF_SPAN·tanh(value /
 * PREF_SCALE), so by less than ±PREF_SPAN: as much as the whole baseline range, so a story the user clearly
 * likes can pass a fresher one they do not care about (news past three days is not shown at all).
 */
export const PREF_SPAN = 1;
/**
 * The preference (summed log-odds) at which the lift reaches three quarters of the span. A span of 0.6 over
 * value/2 (as before) saturated at about two features' worth of votes, so everything liked sat at the top of
 * the span and recency alone ordered it; this keeps the first votes' effect (0.3 per unit) and stops
 * saturating where liked and much-liked items differ (eval:ranking over 12 corpus seeds: higher NDCG@5 after
 * 25 and 50 votes than 0.6 over value/2; spans 0.8–1.5 scored alike).
 */
const PREF_SCALE = 10 / 3;
const MAX_REASONS = 3;
/** A contribution this small is noise, not a reason. */
const REASON_FLOOR = 0.12;
/** True but too broad to be a reason anyone wants to read ("you liked 4 items from rss"). */
const VAGUE = new Set(['source', 'kind']);
const DEADLINE =
  /\b(deadline|due (today|tomorrow|by|on|at)|(by|before) (\d{1,2}(:\d{2})?\s?(am|pm)|eod|cob|end of (the )?day|today|tonight|tomorrow|noon|monday|tuesday|wednesday|thursday|friday)|expires? (today|tomorrow|tonight)|rsvp by)\b/i;

export interface PersonalRanked {
  item: Item;
  stale: boolean;
  /** The baseline prior alone, kept so a vote can re-rank without recomputing recency. */
  base: number;
  score: number;
  reasons: string[];
  vote?: 'up' | 'down';
  /** Lifted into view to learn what the user thinks of it (explore.ts), and its reasons say so. */
  explored?: true;
}

export interface RankOptions {
  /**
   * The story a brief already explored, when re-ranking that brief after a vote: it keeps its place (or none
   * is shown once it is voted on), so a vote on one item does not swap the explored one for another.
   */
  explored?: string;
}

export interface RankResult {
  ranked: PersonalRanked[];
  /** Items a mute took out, with the mute that did it. */
  muted: { itemId: string; by: string }[];
}

export function baseCandidates(items: Item[], staleIds: Set<string>, context: RankContext): Candidate[] {
  return items.map((item) => {
    const stale = staleIds.has(item.id);
    return { item, stale, base: scoreItem(item, stale, context) };
  });
}

export function rankCandidates(
  candidates: Candidate[],
  model: PreferenceModel,
  context: RankContext,
  vectors?: (itemId: string) => number[] | undefined,
  options: RankOptions = {},
): RankResult {
  const now = context.now.getTime();
  const snapshots = new Map(candidates.map((c) => [c.item.id, c.snapshot ?? snapshotOf(c.item)]));
  const termWeight = termWeights([...snapshots.values()].map((s) => s.terms));
  const ranked: PersonalRanked[] = [];
  const muted: RankResult['muted'] = [];
  const facts = new Map<string, ExploreFacts>();
  for (const { item, stale, base } of candidates) {
    if (item.kind === 'weather') {
      ranked.push({ item, stale, base, score: base, reasons: [] });
      continue;
    }
    const timeBound = isTimeBound(item, context);
    const preference = model.score(snapshots.get(item.id) ?? snapshotOf(item), now, {
      timeBound,
      itemId: item.id,
      termWeight,
      ...(vectors ? { vectors } : {}),
    });
    if (preference.muted) {
      muted.push({ itemId: item.id, by: describeMute(preference.muted) });
      continue;
    }
    facts.set(item.id, { evidence: preference.evidence, value: preference.value, timeBound });
    // A meeting or a deadline is never outranked by a story the user merely likes: it gets the whole span.
    // ...unless the user voted this very item down: that is about the item, not a dislike spilling over.
    const lift =
      timeBound && preference.vote !== 'down' ? PREF_SPAN : PREF_SPAN * Math.tanh(preference.value / PREF_SCALE);
    const score = round3(base + lift);
    const reasons = [
      ...baseReasons(item, context),
      ...preference.contributions
        .filter((c) => Math.abs(c.value) >= REASON_FLOOR && !VAGUE.has(c.kind))
        .map((c) => c.label),
    ].slice(0, MAX_REASONS);
    const entry: PersonalRanked = { item, stale, base, score, reasons };
    if (preference.vote) entry.vote = preference.vote;
    ranked.push(entry);
  }
  ranked.sort((a, b) => b.score - a.score || a.item.id.localeCompare(b.item.id));
  return { ranked: explore(ranked, facts, context, options.explored), muted };
}

/** The shape the brief composer takes: reasons and vote only where there are any. */
export function asRankedItems(ranked: PersonalRanked[]): RankedItem[] {
  return ranked.map(({ item, score, stale, reasons, vote, explored }) => {
    const entry: RankedItem = { item, score, stale };
    if (reasons.length) entry.reasons = reasons;
    if (vote) entry.vote = vote;
    if (explored) entry.explored = true;
    return entry;
  });
}

/**
 * Inverse document frequency over the items being ranked, scaled to [0, 1]: a word in every item is
 * worth nothing, a word in one item is worth most. Words never seen among them count fully.
 */
function termWeights(termLists: string[][]): (term: string) => number {
  const df = new Map<string, number>();
  for (const terms of termLists) for (const term of terms) df.set(term, (df.get(term) ?? 0) + 1);
  const n = termLists.length;
  const top = Math.log((n + 1) / 0.5);
  const weights = new Map<string, number>();
  // Asked for once per term pair in every similarity, so each weight is worked out once.
  return (term) => {
    let weight = weights.get(term);
    if (weight === undefined) {
      weight = Math.max(0, Math.log((n + 1) / ((df.get(term) ?? 0) + 0.5)) / top);
      weights.set(term, weight);
    }
    return weight;
  };
}

/** Today's and tomorrow's meetings, and anything that states a deadline. */
export function isTimeBound(item: Item, { now, timezone }: RankContext): boolean {
  if (item.kind === 'event' && item.start) {
    const end = Date.parse(item.end ?? item.start);
    if (end < now.getTime()) return false;
    const today = localDate(now, timezone);
    const day = localDate(item.start, timezone);
    const tomorrow = localDate(new Date(now.getTime() + 86_400_000), timezone);
    return day === today || day === tomorrow || (day < today && localDate(new Date(end), timezone) >= today);
  }
  // A shop's "expires today" is marketing, not a deadline of the user's.
  if (item.tags.includes('CATEGORY_PROMOTIONS')) return false;
  return DEADLINE.test(`${item.title} ${item.snippet.slice(0, 300)}`);
}

/** The facts of the item itself that put it high, before anything learned. */
function baseReasons(item: Item, context: RankContext): string[] {
  const out: string[] = [];
  if (
    item.kind === 'event' &&
    item.start &&
    localDate(item.start, context.timezone) === localDate(context.now, context.timezone)
  ) {
    out.push('on your calendar today');
  } else if (item.kind !== 'event' && DEADLINE.test(`${item.title} ${item.snippet.slice(0, 300)}`)) {
    out.push('mentions a deadline');
  }
  if (item.kind === 'email' && (item.tags.includes('IMPORTANT') || item.tags.includes('STARRED'))) {
    const starred = item.source === 'gmail' ? 'starred in Gmail' : 'flagged in your mail';
    out.push(item.tags.includes('STARRED') ? starred : 'marked important by Gmail');
  }
  const points = item.meta?.score;
  if (item.source === 'hackernews' && typeof points === 'number' && points >= 300) {
    out.push(`${String(points)} points on Hacker News`);
  }
  return out;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
