/**
 * The voting loop: each simulated user is shown a brief every morning, votes on a few of the items shown
 * (the ones they feel strongly about), sometimes mutes a sender they keep disliking, and the ranker learns.
 * At 0, 10, 25 and 50 votes the ranker is scored with NDCG@5 on held-out days it never saw.
 * The app's ranker explores (one story a day in ranks 11–20, agents/ranking/explore.ts); the simulated user
 * treats that story like any other shown: a vote only if they feel strongly about it. Its "why this" is
 * behind a button in the app, so nothing suggests they would answer it more readily.
 */
import type { Item } from '../../core/types.ts';
import { createRandom } from '../../bench/lib/random.ts';
import { snapshotOf } from '../../agents/preferences/features.ts';
import type { FeedbackEvent } from '../../agents/preferences/events.ts';
import { PreferenceModel } from '../../agents/preferences/model.ts';
import { PREF_SPAN, baseCandidates, isTimeBound, rankCandidates } from '../../agents/ranking/personal.ts';
import { scoreItem, type RankContext } from '../../agents/ranking/baseline.ts';
import type { CorpusItem } from './corpus.ts';
import { ndcgAt, relevance, utility, type SimUser } from './users.ts';

export const CHECKPOINTS = [0, 10, 25, 50] as const;
const SHOWN = 20;
const VOTES_PER_DAY = 3;
const TIMEZONE = 'UTC';

export interface Ranker {
  rank(items: Item[], now: Date): Item[];
  feedback(item: Item, action: 'up' | 'down' | 'mute', at: Date): void;
}

export class AppRanker implements Ranker {
  readonly events: FeedbackEvent[] = [];
  /** Every story the ranker explored, for counting how often that was shown and voted on. */
  readonly explored = new Set<string>();
  model: PreferenceModel;
  private readonly interests: string[];

  constructor(interests: string[] = []) {
    this.interests = interests;
    this.model = new PreferenceModel(interests);
  }

  rank(items: Item[], now: Date): Item[] {
    const context: RankContext = { now, timezone: TIMEZONE };
    const { ranked } = rankCandidates(baseCandidates(items, new Set(), context), this.model, context);
    for (const r of ranked) if (r.explored) this.explored.add(r.item.id);
    return ranked.map((r) => r.item);
  }

  feedback(item: Item, action: 'up' | 'down' | 'mute', at: Date): void {
    const snapshot = snapshotOf(item);
    const event: FeedbackEvent = {
      seq: this.events.length + 1,
      at: at.toISOString(),
      itemId: item.id,
      action,
      snapshot,
    };
    if (action === 'mute' && snapshot.sender) Object.assign(event, { scope: 'sender', value: snapshot.sender });
    this.events.push(event);
    this.model.apply(event);
  }

  /** The same log folded into a fresh model. */
  replayed(): PreferenceModel {
    return PreferenceModel.replay(this.events, this.interests);
  }
}

/** The scheme the prototype described: +0.1 per liked keyword in an item, −0.2 per skipped one. */
export class KeywordBoostRanker implements Ranker {
  private readonly liked = new Set<string>();
  private readonly skipped = new Set<string>();
  /** Give it the app's urgency rule too, so the comparison isolates what is learned from votes. */
  private readonly urgency: boolean;

  constructor(options: { urgency?: boolean } = {}) {
    this.urgency = options.urgency ?? false;
  }

  rank(items: Item[], now: Date): Item[] {
    const context: RankContext = { now, timezone: TIMEZONE };
    const scored = items.map((item) => {
      let score = scoreItem(item, false, context);
      if (this.urgency && isTimeBound(item, context)) score += PREF_SPAN;
      for (const word of keywords(item.title)) {
        if (this.liked.has(word)) score += 0.1;
        if (this.skipped.has(word)) score -= 0.2;
      }
      return { item, score };
    });
    return scored.sort((a, b) => b.score - a.score || a.item.id.localeCompare(b.item.id)).map((s) => s.item);
  }

  feedback(item: Item, action: 'up' | 'down' | 'mute', _at: Date): void {
    for (const word of keywords(item.title)) (action === 'up' ? this.liked : this.skipped).add(word);
  }
}

function keywords(title: string): Set<string> {
  return new Set(title.toLowerCase().match(/[a-z0-9]{4,}/g) ?? []);
}

export interface UserRun {
  ndcg: Partial<Record<(typeof CHECKPOINTS)[number], number>>;
  votes: number;
  mutes: number;
  /** Items from a muted sender that were shown after the mute. */
  mutedShown: number;
}

export function simulate(
  user: SimUser,
  ranker: Ranker,
  training: CorpusItem[][],
  test: CorpusItem[][],
  options: { mutes: boolean } = { mutes: true },
): UserRun {
  const rnd = createRandom(user.seed);
  const run: UserRun = { ndcg: {}, votes: 0, mutes: 0, mutedShown: 0 };
  const muted = new Set<string>();
  const disliked = new Map<string, number>();
  const evaluate = (): void => {
    const cp = CHECKPOINTS.find((c) => c === run.votes);
    if (cp === undefined || run.ndcg[cp] !== undefined) return;
    run.ndcg[cp] = mean(test.map((day) => dayNdcg(user, ranker, day)));
  };
  evaluate();
  const last = CHECKPOINTS[CHECKPOINTS.length - 1] ?? 0;
  for (let round = 0; round < 4 && run.votes < last; round++) {
    for (const day of training) {
      if (run.votes >= last) break;
      const now = dayTime(day);
      const byId = new Map(day.map((e) => [e.item.id, e]));
      const shown = ranker
        .rank(
          day.map((e) => e.item),
          now,
        )
        .slice(0, SHOWN)
        .map((item) => byId.get(item.id))
        .filter((e): e is CorpusItem => !!e);
      run.mutedShown += shown.filter((e) => e.sender && muted.has(e.sender)).length;
      // They vote on a few of the stories and mails they feel strongly about, in no particular order.
      // Nobody thumbs up a meeting: those are needed whatever the vote.
      const opinions = shown
        .filter((e) => !e.timeBound)
        .map((e) => ({ e, u: utility(user, e), order: rnd.random() }))
        .filter((o) => o.u >= 1 || o.u <= -0.6)
        .sort((a, b) => a.order - b.order);
      let today = 0;
      for (const { e, u } of opinions) {
        if (today >= VOTES_PER_DAY || run.votes >= last) break;
        const at = new Date(now.getTime() + 3_600_000 + today * 60_000);
        const sender = e.sender;
        if (
          options.mutes &&
          u <= -0.6 &&
          sender &&
          (disliked.get(sender) ?? 0) >= 1 &&
          (user.sender[sender] ?? 0) <= -1
        ) {
          ranker.feedback(e.item, 'mute', at);
          muted.add(sender);
          run.mutes++;
          today++;
          continue;
        }
        ranker.feedback(e.item, u > 0 ? 'up' : 'down', at);
        if (u < 0 && sender) disliked.set(sender, (disliked.get(sender) ?? 0) + 1);
        run.votes++;
        today++;
        evaluate();
      }
    }
  }
  for (const day of test) {
    const shown = ranker.rank(
      day.map((e) => e.item),
      dayTime(day),
    );
    const byId = new Map(day.map((e) => [e.item.id, e]));
    run.mutedShown += shown.slice(0, SHOWN).filter((item) => {
      const s = byId.get(item.id)?.sender;
      return s !== undefined && muted.has(s);
    }).length;
  }
  return run;
}

function dayNdcg(user: SimUser, ranker: Ranker, day: CorpusItem[]): number {
  const byId = new Map(day.map((e) => [e.item.id, e]));
  const ranked = ranker.rank(
    day.map((e) => e.item),
    dayTime(day),
  );
  const gains = ranked.map((item) => {
    const entry = byId.get(item.id);
    return entry ? relevance(user, entry) : 0;
  });
  // A muted item is not shown at all; the ideal ordering is over every item of the day.
  return ndcgAt(
    5,
    gains,
    day.map((e) => relevance(user, e)),
  );
}

export function dayTime(day: CorpusItem[]): Date {
  const first = day.find((e) => e.item.kind === 'event')?.item.start ?? day[0]?.item.publishedAt ?? '';
  const date = first.slice(0, 10);
  return new Date(`${date}T07:00:00Z`);
}

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}
