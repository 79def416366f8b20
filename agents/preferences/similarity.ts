/** How alike two items are: by their vectors when memory has them, by their shared telling terms otherwise. */
import type { FeedbackEvent } from './events.ts';

/** Only this many recent votes take part in the similarity look-up, which keeps a vote's re-rank instant. */
export const SIMILARITY_VOTES = 300;

/** Items voted on, most recent first, at most SIMILARITY_VOTES of them. */
export function votedItemIds(events: FeedbackEvent[]): string[] {
  const ids = new Set<string>();
  for (let i = events.length - 1; i >= 0 && ids.size < SIMILARITY_VOTES; i--) {
    const event = events[i];
    if (event && (event.action === 'up' || event.action === 'down')) ids.add(event.itemId);
  }
  return [...ids];
}

/** What the votes on items like one item say: Σ(±similarity), Σ similarity, and the closest vote each way. */
export interface Alike {
  signed: number;
  total: number;
  closest: Partial<Record<'up' | 'down', { sim: number; title: string }>>;
}

/**
 * The votes (newest first, at most SIMILARITY_VOTES) on items like one item: by vectors when both have one,
 * by shared telling terms otherwise. The item's own vote does not count.
 */
export function votesAlike(
  mine: PreparedTerms,
  voted: Iterable<{ itemId: string; vote: FeedbackEvent; terms: PreparedTerms }>,
  options: {
    weight: (term: string) => number;
    itemId?: string;
    own?: number[];
    vectors?: (itemId: string) => number[] | undefined;
  },
): Alike {
  const out: Alike = { signed: 0, total: 0, closest: {} };
  let seen = 0;
  for (const { itemId, vote, terms } of voted) {
    if (itemId === options.itemId) continue;
    if (++seen > SIMILARITY_VOTES) break;
    const other = options.own ? options.vectors?.(itemId) : undefined;
    const sim =
      options.own && other ? embeddingSimilarity(options.own, other) : preparedCosine(mine, terms, options.weight);
    // Below this, texts share only incidental words.
    if (sim < 0.3 || (vote.action !== 'up' && vote.action !== 'down')) continue;
    out.signed += vote.action === 'up' ? sim : -sim;
    out.total += sim;
    if (sim > (out.closest[vote.action]?.sim ?? 0)) out.closest[vote.action] = { sim, title: vote.snapshot.title };
  }
  return out;
}

/**
 * Embedding cosines sit high even between unrelated texts (0.4–0.6 for nomic-embed-text), so they are
 * stretched: at or below EMBEDDING_FLOOR counts as unrelated, 1 stays 1. Term cosines need no stretch.
 */
const EMBEDDING_FLOOR = 0.55;

export function embeddingSimilarity(a: number[], b: number[]): number {
  return Math.max(0, (cosine(a, b) - EMBEDDING_FLOOR) / (1 - EMBEDDING_FLOOR));
}

/** A term set ready for many comparisons: its members and its weighted norm. */
export interface PreparedTerms {
  set: Set<string>;
  norm: number;
}

export function prepareTerms(terms: string[], weight: (term: string) => number): PreparedTerms {
  let norm = 0;
  for (const term of terms) norm += weight(term) ** 2;
  return { set: new Set(terms), norm };
}

/** Cosine of two term sets, each term weighted by how telling it is (sets prepared once, compared many times). */
export function preparedCosine(a: PreparedTerms, b: PreparedTerms, weight: (term: string) => number): number {
  if (!a.norm || !b.norm) return 0;
  let shared = 0;
  for (const term of a.set) if (b.set.has(term)) shared += weight(term) ** 2;
  return shared / Math.sqrt(a.norm * b.norm);
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
