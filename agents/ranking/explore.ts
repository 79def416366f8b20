import { localDate } from '../../core/time.ts';
import type { RankContext } from './baseline.ts';

/**
 * Exploration. Votes only land on what the brief shows, and it shows what the model already thinks is good,
 * so what the model has never seen an opinion on stays unknown. Each brief therefore lifts at most one story
 * the votes say little about from below the top 20 into its lower half, and its "why this" says so.
 *
 * Bounds: one item per brief; only a story (mail and meetings are the user's own and stay ranked by urgency
 * and importance: the section people trust most is not where to experiment); only a plausible one: from the
 * last day, not stale, not voted on, not disliked by what the model knows, and among the least known the one
 * the baseline (recency, points) puts first; placed among ranks 11–20, never above. The pick and the place
 * come from a seed made of the brief's date, so re-ranking or replaying that brief picks the same way.
 */
export const EXPLORE_REASON = 'new to you: shown to learn what you like';
/** The window a brief leads with; the explored story goes in its lower half. */
const TOP = 20;
const LOWER_HALF = 10;
/** Drawn from this many of the least-known stories, so one unknown feed does not take every day. */
const SHORTLIST = 3;
/** Fewer than this many votes' worth speak to it (on its feed, or on stories like it). */
const UNKNOWN_BELOW = 2;
/** Below this the model already has reason to think the user does not want it. */
const DISLIKED_BELOW = -0.5;
/** Today's news: an older story is not worth a place it takes from one the user would want. */
const FRESH_MS = 24 * 3_600_000;

export interface Explorable {
  item: { id: string; kind: string; publishedAt?: string };
  base: number;
  score: number;
  reasons: string[];
  stale: boolean;
  vote?: 'up' | 'down';
  explored?: true;
}

/** What the preference model said about an item, for choosing one to explore. */
export interface ExploreFacts {
  evidence: number;
  value: number;
  timeBound: boolean;
}

/**
 * The ranked list with at most one story moved into the lower half of the top 20 and marked. `keep` is the
 * story the brief explored before a re-rank: it stays explored while it is still unvoted, and no other is
 * picked in its place.
 */
export function explore<T extends Explorable>(
  ranked: T[],
  facts: Map<string, ExploreFacts>,
  context: RankContext,
  keep?: string,
): T[] {
  const random = seeded(`explore ${localDate(context.now, context.timezone)}`);
  const slot = LOWER_HALF + Math.floor(random() * (TOP - LOWER_HALF));
  const open = (r: T): boolean => {
    const f = facts.get(r.item.id);
    return !!f && r.item.kind === 'news' && !r.stale && !r.vote && !f.timeBound;
  };
  if (keep !== undefined) {
    const index = ranked.findIndex((r) => r.item.id === keep);
    const kept = ranked[index];
    return kept && open(kept) ? place(ranked, kept, Math.min(index, slot)) : ranked;
  }
  const fresh = (r: T): boolean => {
    const published = r.item.publishedAt ? Date.parse(r.item.publishedAt) : NaN;
    return context.now.getTime() - published <= FRESH_MS;
  };
  const evidence = (r: T): number => facts.get(r.item.id)?.evidence ?? 0;
  // From below the top 20 only: a brief of 20 items or fewer has nothing out of view to try.
  const shortlist = ranked
    .slice(TOP)
    .filter((r) => {
      const f = facts.get(r.item.id);
      return open(r) && fresh(r) && !!f && f.evidence < UNKNOWN_BELOW && f.value > DISLIKED_BELOW;
    })
    .sort((a, b) => evidence(a) - evidence(b) || b.base - a.base || a.item.id.localeCompare(b.item.id))
    .slice(0, SHORTLIST);
  const pick = shortlist[Math.floor(random() * shortlist.length)];
  return pick ? place(ranked, pick, slot) : ranked;
}

/** The item at `slot`, scored between its new neighbours so the sections built from scores keep the order. */
function place<T extends Explorable>(ranked: T[], pick: T, slot: number): T[] {
  const rest = ranked.filter((r) => r !== pick);
  const above = rest[slot - 1]?.score ?? pick.score;
  const below = rest[slot]?.score ?? above;
  const score = slot === ranked.indexOf(pick) ? pick.score : Math.round(((above + below) / 2) * 1000) / 1000;
  const reasons = [EXPLORE_REASON, ...pick.reasons.filter((r) => r !== EXPLORE_REASON).slice(0, 2)];
  const placed: T = { ...pick, score, reasons, explored: true };
  return [...rest.slice(0, slot), placed, ...rest.slice(slot)];
}

/** mulberry32, seeded with an FNV-1a hash of the text: the same text gives the same draws on any machine. */
function seeded(text: string): () => number {
  let state = 2166136261;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 16777619) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
