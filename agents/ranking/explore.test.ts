import { describe, expect, it } from 'vitest';
import type { Brief, Item } from '../../core/types.ts';
import { composeExtractiveBrief } from '../brief/extractive.ts';
import type { FeedbackEvent } from '../preferences/events.ts';
import { snapshotOf } from '../preferences/features.ts';
import { PreferenceModel } from '../preferences/model.ts';
import { rerankBrief } from '../preferences/rerank.ts';
import { EXPLORE_REASON } from './explore.ts';
import { asRankedItems, baseCandidates, rankCandidates, type PersonalRanked } from './personal.ts';

const TZ = 'Europe/Berlin';
const at = (date: string) => new Date(`${date}T06:00:00Z`);
const DAY = '2026-12-01';

const FEEDS = [
  { name: 'Rust Blog', category: 'tech', words: ['rust', 'cargo', 'borrow', 'crate', 'tokio', 'compiler'] },
  { name: 'Coin Daily', category: 'market', words: ['bitcoin', 'token', 'stablecoin', 'exchange', 'ledger', 'miner'] },
  { name: 'Garden Notes', category: 'news', words: ['compost', 'tomato', 'seedling', 'pruning', 'roses', 'allotment'] },
  { name: 'Sky Watch', category: 'tech', words: ['rocket', 'orbit', 'telescope', 'satellite', 'launch', 'comet'] },
  { name: 'Pitch Side', category: 'news', words: ['striker', 'league', 'transfer', 'keeper', 'derby', 'stadium'] },
  { name: 'Rate Desk', category: 'market', words: ['inflation', 'bonds', 'yields', 'mortgage', 'central', 'lending'] },
] as const;

/** A day's candidates: 24 stories (4 per feed, 1–20 hours old), 4 mails, 2 meetings. */
function day(date: string): Item[] {
  const now = at(date).getTime();
  const items: Item[] = [];
  FEEDS.forEach((feed, f) => {
    for (let i = 0; i < 4; i++) {
      const [a, b] = [feed.words[i % 6], feed.words[(i + 2) % 6]];
      items.push({
        id: `rss:${date}:${String(f)}${String(i)}`,
        kind: 'news',
        source: 'rss',
        origin: feed.name,
        category: feed.category,
        title: `${String(a)} and ${String(b)} news`,
        snippet: `More on ${String(a)}, ${String(b)} and ${String(feed.words[(i + 4) % 6])}.`,
        url: `https://${feed.name.toLowerCase().replace(/\s/g, '')}.example/${String(i)}`,
        publishedAt: new Date(now - (1 + ((f * 4 + i) % 20)) * 3_600_000).toISOString(),
        tags: [],
      });
    }
  });
  for (let i = 0; i < 4; i++) {
    items.push({
      id: `gmail:${date}:${String(i)}`,
      kind: 'email',
      source: 'gmail',
      title: i === 0 ? 'Slides due tomorrow' : `Newsletter issue ${String(i)}`,
      snippet: 'Hello.',
      author: i === 0 ? 'Dana <dana@acme.example>' : `Letters <news${String(i)}@letters.example>`,
      publishedAt: new Date(now - 10 * 3_600_000).toISOString(),
      tags: i === 0 ? ['IMPORTANT'] : ['CATEGORY_PROMOTIONS'],
    });
  }
  for (let i = 0; i < 2; i++) {
    items.push({
      id: `cal:${date}:${String(i)}`,
      kind: 'event',
      source: 'calendar',
      title: `Planning ${String(i)}`,
      snippet: '',
      start: new Date(now + (3 + i) * 3_600_000).toISOString(),
      end: new Date(now + (4 + i) * 3_600_000).toISOString(),
      tags: [],
    });
  }
  return items;
}

/** Votes that make two feeds known: Rust Blog liked, Coin Daily not. */
function taught(): { model: PreferenceModel; events: FeedbackEvent[] } {
  const events: FeedbackEvent[] = [];
  const vote = (item: Item, action: 'up' | 'down') =>
    events.push({
      seq: events.length + 1,
      at: `2026-11-20T08:00:0${String(events.length)}Z`,
      itemId: item.id,
      action,
      snapshot: snapshotOf(item),
    });
  for (const item of day('2026-11-20').filter((i) => i.origin === 'Rust Blog')) vote(item, 'up');
  for (const item of day('2026-11-20').filter((i) => i.origin === 'Coin Daily')) vote(item, 'down');
  return { model: PreferenceModel.replay(events), events };
}

function rank(items: Item[], model: PreferenceModel, date = DAY, explored?: string): PersonalRanked[] {
  const context = { now: at(date), timezone: TZ };
  return rankCandidates(
    baseCandidates(items, new Set(), context),
    model,
    context,
    undefined,
    explored ? { explored } : {},
  ).ranked;
}

const exploredIn = (ranked: PersonalRanked[]) => ranked.filter((r) => r.explored);

describe('exploration', () => {
  const { model } = taught();

  it('lifts one story the votes know little of from below the top 20 into ranks 11–20, and says so first', () => {
    const items = day(DAY);
    const ranked = rank(items, model);
    const natural = rank(items, model, DAY, 'nothing-to-keep');
    expect(exploredIn(natural)).toHaveLength(0);
    const [pick, ...more] = exploredIn(ranked);
    expect(more).toHaveLength(0);
    if (!pick) throw new Error('nothing explored');
    expect(ranked.indexOf(pick)).toBeGreaterThanOrEqual(10);
    expect(ranked.indexOf(pick)).toBeLessThan(20);
    expect(natural.findIndex((r) => r.item.id === pick.item.id)).toBeGreaterThanOrEqual(20);
    expect(pick.reasons[0]).toBe(EXPLORE_REASON);
    expect(pick.item.kind).toBe('news');
    // Unknown: not from the feeds the votes taught.
    expect(['Rust Blog', 'Coin Daily']).not.toContain(pick.item.origin);
    expect(model.score(snapshotOf(pick.item), at(DAY).getTime()).evidence).toBeLessThan(2);
    // Nothing else moved but by the one place the explored story took.
    expect(ranked.filter((r) => r !== pick).map((r) => r.item.id)).toEqual(
      natural.filter((r) => r.item.id !== pick.item.id).map((r) => r.item.id),
    );
    // Its score sits between its neighbours, so sections built by score keep it where it was put.
    const i = ranked.indexOf(pick);
    expect(pick.score).toBeLessThanOrEqual(ranked[i - 1]?.score ?? Infinity);
    expect(pick.score).toBeGreaterThanOrEqual(ranked[i + 1]?.score ?? -Infinity);
  });

  it('picks the same for the same brief date, and by the date’s seed otherwise; only fresh, unvoted stories', () => {
    const once = rank(day(DAY), model);
    expect(rank(day(DAY), model)).toEqual(once);
    const slots = new Set<number>();
    const picks = new Set<string>();
    for (let d = 1; d <= 28; d++) {
      const date = `2026-12-${String(d).padStart(2, '0')}`;
      const ranked = rank(day(date), model, date);
      const explored = exploredIn(ranked);
      expect(explored.length).toBeLessThanOrEqual(1);
      for (const pick of explored) {
        slots.add(ranked.indexOf(pick));
        picks.add(pick.item.origin ?? '');
        expect(pick.item.kind).toBe('news');
        expect(pick.stale).toBe(false);
        expect(pick.vote).toBeUndefined();
        expect(at(date).getTime() - Date.parse(pick.item.publishedAt ?? '')).toBeLessThanOrEqual(24 * 3_600_000);
      }
    }
    expect(slots.size).toBeGreaterThan(3);
    expect(picks.size).toBeGreaterThan(1);
  });

  it('never explores mail, meetings, stale, old or disliked stories, nor when the brief shows everything', () => {
    const context = { now: at(DAY), timezone: TZ };
    const hoursAgo = (h: number) => new Date(at(DAY).getTime() - h * 3_600_000).toISOString();
    const offers = Array.from({ length: 30 }, (_, i): Item => ({
      id: `gmail:offer${String(i)}`,
      kind: 'email',
      source: 'gmail',
      title: `Deal of the day ${String(i)}`,
      snippet: '',
      author: `Shop <shop${String(i)}@deals.example>`,
      publishedAt: hoursAgo(2),
      tags: ['CATEGORY_PROMOTIONS'],
    }));
    const unknown = day(DAY).filter(
      (i) => i.kind === 'news' && !['Rust Blog', 'Coin Daily', 'Rate Desk'].includes(i.origin ?? ''),
    );
    const staleIds = new Set(unknown.map((i) => i.id));
    // The stories the votes do not know are stale, and Rate Desk has had votes both ways on each of its stories
    // (known, neither loved nor hated). Below the top 20: fresh offers nobody voted on (mail), stale stories,
    // Rate Desk, and Coin Daily (known, disliked).
    const { events } = taught();
    for (const [date, action] of [
      ['2026-11-21', 'up'],
      ['2026-11-22', 'down'],
    ] as const) {
      for (const item of day(date).filter((i) => i.origin === 'Rate Desk')) {
        events.push({
          seq: events.length + 1,
          at: `${date}T08:00:00Z`,
          itemId: item.id,
          action,
          snapshot: snapshotOf(item),
        });
      }
    }
    const known = PreferenceModel.replay(events);
    const withOffers = rankCandidates(baseCandidates([...day(DAY), ...offers], staleIds, context), known, context);
    const hidden = withOffers.ranked.slice(20);
    expect(hidden.some((r) => r.item.kind === 'email')).toBe(true);
    expect(hidden.some((r) => r.stale)).toBe(true);
    expect(hidden.some((r) => r.item.origin === 'Rate Desk')).toBe(true);
    expect(exploredIn(withOffers.ranked)).toHaveLength(0);
    // ...or more than a day old.
    const aged = day(DAY).map((i) => (staleIds.has(i.id) ? { ...i, publishedAt: hoursAgo(30) } : i));
    expect(exploredIn(rank(aged, model))).toHaveLength(0);
    // A story from a feed never voted on, but like one the user voted down, is not unknown enough to try.
    const disliked = {
      ...day(DAY)[8],
      id: 'rss:wire-a',
      origin: 'Wire A',
      title: 'Compost and seedling rules change',
    } as Item;
    const lookalike = { ...disliked, id: 'rss:wire-b', origin: 'Wire B', publishedAt: hoursAgo(1) };
    const down: FeedbackEvent = {
      seq: events.length + 1,
      at: '2026-11-23T08:00:00Z',
      itemId: disliked.id,
      action: 'down',
      snapshot: snapshotOf(disliked),
    };
    const wary = PreferenceModel.replay([...events, down]);
    const facts = wary.score(snapshotOf(lookalike), at(DAY).getTime(), { itemId: lookalike.id });
    expect(facts.evidence).toBeLessThan(2);
    const ranked = rankCandidates(baseCandidates([...day(DAY), lookalike], staleIds, context), wary, context).ranked;
    expect(ranked.findIndex((r) => r.item.id === lookalike.id)).toBeGreaterThanOrEqual(20);
    expect(exploredIn(ranked)).toHaveLength(0);
    // Twenty items or fewer: nothing is out of view, so nothing to explore.
    expect(exploredIn(rank(day(DAY).slice(0, 20), model))).toHaveLength(0);
  });

  it('reaches the brief: the item says why in its reasons, and a vote on another item keeps it in its place', () => {
    const { events } = taught();
    const items = day(DAY);
    const context = { now: at(DAY), timezone: TZ };
    const candidates = baseCandidates(items, new Set(), context);
    const composed = composeExtractiveBrief({
      id: 'b1',
      ranked: asRankedItems(rankCandidates(candidates, model, context).ranked),
      sources: [],
      now: at(DAY),
      timezone: TZ,
      dataAsOf: at(DAY).toISOString(),
      fetchMs: 0,
      notices: [],
      demo: false,
    });
    const brief: Brief = { ...composed, timings: { ...composed.timings, totalMs: 0 } };
    const shown = brief.sections.flatMap((s) => s.items);
    const explored = shown.filter((i) => i.explored);
    expect(explored).toHaveLength(1);
    expect(explored[0]?.reasons?.[0]).toBe(EXPLORE_REASON);
    const id = explored[0]?.id ?? '';
    // A vote on another story re-ranks the brief; the explored one stays explored.
    const other = items.find((i) => i.origin === 'Sky Watch' && i.id !== id) ?? items[0];
    if (!other) throw new Error('no item');
    const vote = (item: Item, seq: number): FeedbackEvent => ({
      seq,
      at: `${DAY}T06:10:0${String(seq % 10)}Z`,
      itemId: item.id,
      action: 'up',
      snapshot: snapshotOf(item),
    });
    const after = PreferenceModel.replay([...events, vote(other, events.length + 1)]);
    const reranked = rerankBrief(brief, candidates, after).sections.flatMap((s) => s.items);
    expect(reranked.filter((i) => i.explored).map((i) => i.id)).toEqual([id]);
    // Once it has the user's vote, it is not unknown any more, and no other takes its place in this brief.
    const target = items.find((i) => i.id === id);
    if (!target) throw new Error('explored item not among the candidates');
    const answered = PreferenceModel.replay([
      ...events,
      vote(other, events.length + 1),
      vote(target, events.length + 2),
    ]);
    const last = rerankBrief(brief, candidates, answered).sections.flatMap((s) => s.items);
    expect(last.filter((i) => i.explored)).toHaveLength(0);
    expect(last.find((i) => i.id === id)?.vote).toBe('up');
  });
});
