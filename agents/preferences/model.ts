import { featuresOf, tokenize, type FeatureGroup, type ItemSnapshot } from './features.ts';
import type { FeedbackEvent, Mute } from './events.ts';
import { featureReason, termReason } from './explain.ts';
import { decayFactor, lift, type Counts } from './evidence.ts';
import { MuteSet } from './mutes.ts';
import { SIMILARITY_VOTES, prepareTerms, votesAlike, type PreparedTerms } from './similarity.ts';

/**
 * The preference model: a projection of the feedback log. Each feature (feed, sender, domain, term…)
 * keeps decayed counts of up and down votes on items that had it, and its evidence is the smoothed
 * log-odds ln((up + α) / (down + α)). The pseudo-count α shrinks thin evidence toward zero, so one vote
 * nudges and five votes decide (and more than five say only which way they lean). Votes also count through
 * similarity: an item close to ones the user liked gains even when it shares no feed or sender with them.
 *
 * Everything is driven by the events' own times (never the wall clock), so a replay of the same log
 * gives bit-for-bit the same model.
 */

/** How much each kind of evidence counts. Terms are summed over the item, divided by √(number of terms). */
const GROUP_WEIGHT: Record<FeatureGroup, number> = {
  feed: 1,
  sender: 1.2,
  domain: 0.6,
  source: 0.25,
  kind: 0.2,
  category: 0.5,
  term: 0.7,
};
const SIMILARITY_WEIGHT = 1.6;
/** Pseudo-similarity on neither side: one vote at similarity 0.5 counts for half the weight. */
const SIMILARITY_PRIOR = 0.5;
const INTEREST_WEIGHT = 1;

type Vote = 'up' | 'down';

export type { Counts } from './evidence.ts';

interface VotedItem {
  itemId: string;
  vote: FeedbackEvent;
  terms: PreparedTerms;
}

interface ItemState {
  /** The item's actions still in force, oldest first; undo pops the last. */
  stack: FeedbackEvent[];
}

export interface Contribution {
  kind: FeatureGroup | 'similar' | 'interest' | 'time-bound';
  key: string;
  value: number;
  /** Words for the reason. */
  label: string;
}

export interface PreferenceScore {
  value: number;
  contributions: Contribution[];
  /**
   * How much the votes say about this item: the votes on its feed, sender or domain (decayed), plus the voted
   * items like it, each counted by how alike. 0 is an item unlike anything voted on.
   */
  evidence: number;
  muted?: Mute;
  vote?: Vote;
}

export interface ScoreOptions {
  /** Today's meeting or a stated deadline: dislikes may not push it down. */
  timeBound?: boolean;
  /** Vector look-up for similarity; terms are used when it has no vector for an item. */
  vectors?: (itemId: string) => number[] | undefined;
  itemId?: string;
  /** How telling a term is among the items being ranked (0 for words every item has, up to 1). */
  termWeight?: (term: string) => number;
}

export class PreferenceModel {
  private readonly counts = new Map<string, Counts>();
  private readonly items = new Map<string, ItemState>();
  private readonly mutes = new MuteSet();
  /** The time each event counted at: never before the one before it, so a skewed clock cannot unbalance undo. */
  private readonly times = new Map<number, number>();
  /** A readable word for each term stem, first seen first kept. */
  private readonly words = new Map<string, string>();
  private readonly interests: { phrase: string; terms: string[] }[];
  private lastAt: number | undefined;
  /** The voted items newest first with their term sets, built once per ranking pass, dropped by any new event. */
  private voted: { weight: (term: string) => number; list: VotedItem[] } | undefined;
  private seqSeen = 0;
  private events = 0;

  constructor(interests: string[] = []) {
    this.interests = interests
      .map((phrase) => ({ phrase: phrase.trim(), terms: [...new Set(tokenize(phrase))] }))
      .filter((i) => i.terms.length);
  }

  static replay(events: Iterable<FeedbackEvent>, interests: string[] = []): PreferenceModel {
    const model = new PreferenceModel(interests);
    for (const event of events) model.apply(event);
    return model;
  }

  get lastSeq(): number {
    return this.seqSeen;
  }

  get eventCount(): number {
    return this.events;
  }

  /** Learns from one event, online. Events must come in log order. */
  apply(event: FeedbackEvent): void {
    if (event.seq <= this.seqSeen) return;
    this.seqSeen = event.seq;
    this.voted = undefined;
    this.events++;
    const at = Math.max(Date.parse(event.at), this.lastAt ?? -Infinity);
    this.times.set(event.seq, at);
    this.decayTo(at);
    if (event.action === 'reset') {
      this.counts.clear();
      this.items.clear();
      this.mutes.clear();
      return;
    }
    const state = this.items.get(event.itemId) ?? { stack: [] };
    // Most recently voted last, so the similarity look-up walks the latest votes first.
    if (isVote(event) || event.action === 'undo') this.items.delete(event.itemId);
    this.items.set(event.itemId, state);
    if (event.action === 'undo') {
      const undone = state.stack.pop();
      if (!undone) return;
      this.unapply(undone, at);
      // A vote that replaced an earlier one gives that one back.
      if (isVote(undone)) {
        const previous = lastVote(state.stack);
        if (previous) this.count(previous.snapshot, previous.action as Vote, this.weightAt(previous, at));
      }
      return;
    }
    if (isVote(event)) {
      const previous = lastVote(state.stack);
      if (previous) this.count(previous.snapshot, previous.action as Vote, -this.weightAt(previous, at));
      this.count(event.snapshot, event.action as Vote, 1);
      this.rememberWords(event.snapshot);
    } else if (event.action === 'mute' && event.scope && event.value) {
      this.mutes.mute(event);
    } else if (event.action === 'unmute' && event.scope && event.value) {
      this.mutes.unmute(event);
    }
    state.stack.push(event);
  }

  /** The item's latest action still in force, for the undo message. */
  lastAction(itemId: string): FeedbackEvent | undefined {
    return this.items.get(itemId)?.stack.at(-1);
  }

  voteOf(itemId: string): Vote | undefined {
    const vote = lastVote(this.items.get(itemId)?.stack ?? []);
    return vote?.action as Vote | undefined;
  }

  /** The items whose vote is in force, each as it was when voted on (what the learned features came from). */
  votedItems(): { itemId: string; snapshot: ItemSnapshot; vote: Vote }[] {
    const out: { itemId: string; snapshot: ItemSnapshot; vote: Vote }[] = [];
    for (const [itemId, state] of this.items) {
      const vote = lastVote(state.stack);
      if (vote) out.push({ itemId, snapshot: vote.snapshot, vote: vote.action as Vote });
    }
    return out;
  }

  activeMutes(): Mute[] {
    return this.mutes.active();
  }

  isMuted(mute: Mute): boolean {
    return this.mutes.has(mute);
  }

  mutedBy(snapshot: ItemSnapshot): Mute | undefined {
    return this.mutes.matching(snapshot);
  }

  /** The preference for an item at time `now`, with the factors behind it. */
  score(snapshot: ItemSnapshot, now: number, options: ScoreOptions = {}): PreferenceScore {
    const muted = this.mutedBy(snapshot);
    const decay = this.lastAt === undefined ? 1 : decayFactor(now - this.lastAt);
    const contributions: Contribution[] = [];
    const termParts: { key: string; value: number }[] = [];
    const features = featuresOf(snapshot);
    const termCount = features.filter((f) => f.group === 'term').length;
    const rate = this.rate();
    for (const { group, key } of features) {
      if (this.redundant(snapshot, group, key)) continue;
      const counts = this.counts.get(key);
      if (!counts) continue;
      const evidence = lift(counts, decay, rate);
      if (group === 'term') {
        const weight = options.termWeight?.(key.slice('term:'.length)) ?? 1;
        if (weight) termParts.push({ key, value: evidence * weight });
      } else if (evidence) {
        contributions.push({
          kind: group,
          key,
          value: GROUP_WEIGHT[group] * evidence,
          label: featureReason(key, counts),
        });
      }
    }
    if (termParts.length) {
      const scale = GROUP_WEIGHT.term / Math.sqrt(Math.max(termCount, 1));
      const total = termParts.reduce((sum, t) => sum + t.value, 0) * scale;
      const top = termParts.reduce((best, t) => (Math.abs(t.value) > Math.abs(best.value) ? t : best));
      if (total)
        contributions.push({
          kind: 'term',
          key: top.key,
          value: total,
          label: termReason(this.word(top.key.slice('term:'.length)), total),
        });
    }
    const similar = this.similarity(snapshot, options, decay);
    if (similar.contribution) contributions.push(similar.contribution);
    for (const interest of this.interests) {
      if (interest.terms.every((t) => snapshot.terms.includes(t))) {
        contributions.push({
          kind: 'interest',
          key: interest.phrase,
          value: INTEREST_WEIGHT,
          label: `matches your interest “${interest.phrase}”`,
        });
        break;
      }
    }
    let value = contributions.reduce((sum, c) => sum + c.value, 0);
    if (options.timeBound && value < 0) {
      contributions.push({
        kind: 'time-bound',
        key: 'time-bound',
        value: -value,
        label: snapshot.kind === 'event' ? 'kept in place: it is on your calendar' : 'kept in place: it has a deadline',
      });
      value = 0;
    }
    contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    const evidence = round3(this.originVotes(snapshot, decay) + similar.alike);
    const out: PreferenceScore = { value, contributions, evidence };
    if (muted) out.muted = muted;
    const vote = options.itemId ? this.voteOf(options.itemId) : undefined;
    if (vote) out.vote = vote;
    return out;
  }

  /** Every learned feature with its evidence, strongest first (for `preferences`). */
  learned(now: number): { key: string; group: FeatureGroup; evidence: number; ups: number; downs: number }[] {
    const decay = this.lastAt === undefined ? 1 : decayFactor(now - this.lastAt);
    const rate = this.rate();
    const out = [];
    for (const [key, counts] of this.counts) {
      if (key === ALL_VOTES || counts.ups + counts.downs === 0) continue;
      const group = key.slice(0, key.indexOf(':')) as FeatureGroup;
      const evidence = lift(counts, decay, rate);
      out.push({ key, group, evidence: GROUP_WEIGHT[group] * evidence, ups: counts.ups, downs: counts.downs });
    }
    return out.sort((a, b) => Math.abs(b.evidence) - Math.abs(a.evidence) || a.key.localeCompare(b.key));
  }

  /** The share of votes that are up, smoothed: what a feature is compared with. */
  private rate(): number {
    const all = this.counts.get(ALL_VOTES);
    return all ? (all.up + 1) / (all.up + all.down + 2) : 0.5;
  }

  knowsWord(stem: string): boolean {
    return this.words.has(stem);
  }

  word(stem: string): string {
    return this.words.get(stem) ?? stem;
  }

  /**
   * Features that only repeat another one's evidence, so summing both would count the same votes twice. A
   * story's category is its feed's section: the same for every story of the feed. A domain whose votes are
   * exactly those of the item's feed or sender (a blog's own site, the one colleague voted on at a company)
   * says nothing more; it counts once it differs (a link's site on Hacker News, a second colleague).
   */
  private redundant(snapshot: ItemSnapshot, group: FeatureGroup, key: string): boolean {
    if (group === 'category') return !!snapshot.feed;
    if (group !== 'domain') return false;
    const own = this.counts.get(key);
    const parent = snapshot.feed
      ? this.counts.get(`feed:${snapshot.source}/${snapshot.feed}`)
      : snapshot.sender
        ? this.counts.get(`sender:${snapshot.sender}`)
        : undefined;
    return !!own && !!parent && own.ups === parent.ups && own.downs === parent.downs;
  }

  /** The votes (decayed) on where the item comes from: its feed, sender or domain, whichever has most. */
  private originVotes(snapshot: ItemSnapshot, decay: number): number {
    let most = 0;
    for (const { group, key } of featuresOf(snapshot)) {
      if (group !== 'feed' && group !== 'sender' && group !== 'domain') continue;
      const counts = this.counts.get(key);
      if (counts) most = Math.max(most, (counts.up + counts.down) * decay);
    }
    return most;
  }

  /**
   * The votes on items like this one, on balance: Σ(±similarity) / (Σ similarity + SIMILARITY_PRIOR), so one
   * close vote counts for most of SIMILARITY_WEIGHT, many agreeing ones for nearly all of it, and mixed ones
   * cancel. (The single most similar vote alone, as before, swung with each new vote, and more votes only
   * meant a closer best match for everything.) Named by the most similar vote on the winning side. `alike` is
   * how many voted items are like it, counted by how alike.
   */
  private similarity(
    snapshot: ItemSnapshot,
    options: ScoreOptions,
    decay: number,
  ): { contribution?: Contribution; alike: number } {
    const weight = options.termWeight ?? UNIT_WEIGHT;
    const own = options.itemId ? options.vectors?.(options.itemId) : undefined;
    const { signed, total, closest } = votesAlike(prepareTerms(snapshot.terms, weight), this.votedNewestFirst(weight), {
      weight,
      ...(options.itemId ? { itemId: options.itemId } : {}),
      ...(own && options.vectors ? { own, vectors: options.vectors } : {}),
    });
    const value = (SIMILARITY_WEIGHT * decay * signed) / (total + SIMILARITY_PRIOR);
    const side: Vote = value > 0 ? 'up' : 'down';
    const named = closest[side];
    if (!value || !named) return { alike: total * decay };
    const title = named.title.length > 60 ? `${named.title.slice(0, 57)}…` : named.title;
    return {
      alike: total * decay,
      contribution: {
        kind: 'similar',
        key: named.title,
        value,
        label: `similar to “${title}” that you ${side === 'up' ? 'upvoted' : 'downvoted'}`,
      },
    };
  }

  /** The latest SIMILARITY_VOTES votes in force (plus one, so skipping the item itself leaves enough). */
  private votedNewestFirst(weight: (term: string) => number): VotedItem[] {
    if (this.voted?.weight !== weight) {
      const list: VotedItem[] = [];
      for (const [itemId, state] of [...this.items].reverse()) {
        const vote = lastVote(state.stack);
        if (!vote) continue;
        list.push({ itemId, vote, terms: prepareTerms(vote.snapshot.terms, weight) });
        if (list.length > SIMILARITY_VOTES) break;
      }
      this.voted = { weight, list };
    }
    return this.voted.list;
  }

  private count(snapshot: ItemSnapshot, vote: Vote, weight: number): void {
    for (const key of [ALL_VOTES, ...featuresOf(snapshot).map((f) => f.key)]) {
      const counts = this.counts.get(key) ?? { up: 0, down: 0, ups: 0, downs: 0 };
      if (vote === 'up') {
        counts.up = Math.max(0, counts.up + weight);
        counts.ups += Math.sign(weight);
      } else {
        counts.down = Math.max(0, counts.down + weight);
        counts.downs += Math.sign(weight);
      }
      this.counts.set(key, counts);
    }
  }

  private unapply(event: FeedbackEvent, at: number): void {
    if (isVote(event)) this.count(event.snapshot, event.action as Vote, -this.weightAt(event, at));
    else this.mutes.undo(event);
  }

  /** What a vote is worth at `at`, after decay, so taking it back removes exactly what it added. */
  private weightAt(event: FeedbackEvent, at: number): number {
    return decayFactor(at - (this.times.get(event.seq) ?? Date.parse(event.at)));
  }

  private decayTo(at: number): void {
    if (this.lastAt !== undefined && at > this.lastAt) {
      const factor = decayFactor(at - this.lastAt);
      for (const counts of this.counts.values()) {
        counts.up *= factor;
        counts.down *= factor;
      }
    }
    if (this.lastAt === undefined || at > this.lastAt) this.lastAt = at;
  }

  private rememberWords(snapshot: ItemSnapshot): void {
    for (const word of snapshot.title.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'+#.-]*/gu) ?? []) {
      const [stem] = tokenize(word);
      if (stem && !this.words.has(stem)) this.words.set(stem, word.replace(/'s$/, ''));
    }
  }
}

const ALL_VOTES = '*';

const UNIT_WEIGHT = (): number => 1;

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function isVote(event: FeedbackEvent): boolean {
  return event.action === 'up' || event.action === 'down';
}

function lastVote(stack: FeedbackEvent[]): FeedbackEvent | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const event = stack[i];
    if (event && isVote(event)) return event;
  }
  return undefined;
}
