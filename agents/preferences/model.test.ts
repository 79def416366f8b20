import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/types.ts';
import { PREF_SPAN, baseCandidates, rankCandidates } from '../ranking/personal.ts';
import type { FeedbackAction, FeedbackEvent, MuteScope } from './events.ts';
import { snapshotOf } from './features.ts';
import { PreferenceModel } from './model.ts';

const NOW = Date.parse('2026-12-01T07:00:00Z');
const context = { now: new Date(NOW), timezone: 'Europe/Berlin' };

function news(id: string, title: string, origin: string, extra: Partial<Item> = {}): Item {
  return {
    id,
    kind: 'news',
    source: 'rss',
    origin,
    title,
    snippet: '',
    url: `https://${origin.toLowerCase().replace(/\s+/g, '')}.example/${id}`,
    publishedAt: '2026-12-01T05:00:00Z',
    tags: [],
    category: 'tech',
    ...extra,
  };
}

function email(id: string, title: string, from: string, extra: Partial<Item> = {}): Item {
  return {
    id,
    kind: 'email',
    source: 'gmail',
    title,
    snippet: '',
    author: from,
    publishedAt: '2026-12-01T06:00:00Z',
    tags: [],
    ...extra,
  };
}

class Log {
  readonly events: FeedbackEvent[] = [];
  add(item: Item, action: FeedbackAction, at = NOW, mute?: { scope: MuteScope; value: string }): FeedbackEvent {
    const event: FeedbackEvent = {
      seq: this.events.length + 1,
      at: new Date(at).toISOString(),
      itemId: item.id,
      action,
      snapshot: snapshotOf(item),
      ...mute,
    };
    this.events.push(event);
    return event;
  }
  model(interests: string[] = []): PreferenceModel {
    return PreferenceModel.replay(this.events, interests);
  }
}

function order(items: Item[], model: PreferenceModel): string[] {
  return rankCandidates(baseCandidates(items, new Set(), context), model, context).ranked.map((r) => r.item.id);
}

const rustPost = news('rss:1', 'Rust async runtime gets faster', 'Rust Blog');
const rustPost2 = news('rss:2', 'Rust compiler release notes', 'Rust Blog');
const cryptoPost = news('rss:3', 'Bitcoin exchange halts withdrawals', 'Coin Daily', { category: 'market' });
// Newer, so before any vote it ranks above the Rust posts.
const cryptoPost2 = news('rss:4', 'Stablecoin token loses its peg', 'Coin Daily', {
  category: 'market',
  publishedAt: '2026-12-01T06:50:00Z',
});

describe('the preference model', () => {
  it('learns a feed from votes: liked posts rise, disliked ones sink, and it says why', () => {
    const log = new Log();
    const flat = order([cryptoPost2, rustPost2], log.model());
    log.add(rustPost, 'up');
    log.add(cryptoPost, 'down');
    const learned = log.model();
    expect(order([cryptoPost2, rustPost2], learned)).toEqual(['rss:2', 'rss:4']);
    expect(flat).toEqual(['rss:4', 'rss:2']);
    const { ranked } = rankCandidates(baseCandidates([rustPost2, cryptoPost2], new Set(), context), learned, context);
    expect(ranked[0]?.reasons.join(' ')).toMatch(/you liked 1 post from Rust Blog|similar to “Rust async/);
    expect(ranked[1]?.reasons.join(' ')).toMatch(/Coin Daily|downvoted/);
  });

  it('is a projection: replaying the same log gives the same scores, bit for bit', () => {
    const log = new Log();
    log.add(rustPost, 'up', NOW - 20 * 86_400_000);
    log.add(cryptoPost, 'down', NOW - 10 * 86_400_000);
    log.add(rustPost, 'down', NOW - 5 * 86_400_000);
    log.add(rustPost, 'undo', NOW - 4 * 86_400_000);
    log.add(cryptoPost2, 'mute', NOW - 3 * 86_400_000, { scope: 'feed', value: 'rss/Coin Daily' });
    const online = new PreferenceModel(['rust']);
    for (const event of log.events) online.apply(event);
    const replayed = log.model(['rust']);
    for (const item of [rustPost, rustPost2, cryptoPost, cryptoPost2]) {
      const a = online.score(snapshotOf(item), NOW, { itemId: item.id });
      const b = replayed.score(snapshotOf(item), NOW, { itemId: item.id });
      expect(a).toEqual(b);
    }
    // An event seen twice (a second process catching up) is not learned twice.
    online.apply(log.events[0] as FeedbackEvent);
    expect(online.score(snapshotOf(rustPost2), NOW)).toEqual(replayed.score(snapshotOf(rustPost2), NOW));
  });

  it('undo takes a vote back exactly, and a vote that replaced another gives that one back', () => {
    const log = new Log();
    const before = log.model().score(snapshotOf(rustPost2), NOW).value;
    log.add(rustPost, 'up');
    const afterUp = log.model().score(snapshotOf(rustPost2), NOW).value;
    log.add(rustPost, 'down');
    const afterDown = log.model();
    expect(afterDown.voteOf('rss:1')).toBe('down');
    expect(afterDown.score(snapshotOf(rustPost2), NOW).value).toBeLessThan(before);
    log.add(rustPost, 'undo', NOW + 1000);
    const undone = log.model();
    expect(undone.voteOf('rss:1')).toBe('up');
    expect(undone.score(snapshotOf(rustPost2), NOW + 1000).value).toBeCloseTo(afterUp, 5);
    log.add(rustPost, 'undo', NOW + 2000);
    const clean = log.model();
    expect(clean.voteOf('rss:1')).toBeUndefined();
    expect(clean.score(snapshotOf(rustPost2), NOW + 2000).value).toBeCloseTo(before, 5);
  });

  it('lets old feedback fade: a year-old vote counts for less than one cast today', () => {
    const old = new Log();
    old.add(rustPost, 'up', NOW - 365 * 86_400_000);
    old.add(cryptoPost, 'down', NOW - 365 * 86_400_000 + 1);
    const fresh = new Log();
    fresh.add(rustPost, 'up');
    fresh.add(cryptoPost, 'down', NOW + 1);
    const oldScore = old.model().score(snapshotOf(rustPost2), NOW).value;
    const freshScore = fresh.model().score(snapshotOf(rustPost2), NOW).value;
    expect(oldScore).toBeGreaterThan(0);
    expect(freshScore).toBeGreaterThan(oldScore * 1.5);
  });

  it('mutes are hard rules by sender, domain, feed or topic, until unmuted; undo restores', () => {
    const promo = email('gmail:p1', '30% off headphones', 'Shop Deals <deals@shop.example>');
    const promo2 = email('gmail:p2', 'Last days of the sale', 'Shop Deals <deals@shop.example>');
    const other = email('gmail:p3', 'Your order shipped', 'Orders <orders@shop.example>');
    const log = new Log();
    log.add(promo, 'mute', NOW, { scope: 'sender', value: 'deals@shop.example' });
    expect(order([promo2, other], log.model())).toEqual(['gmail:p3']);
    log.add(promo, 'undo', NOW + 1);
    expect(order([promo2, other], log.model()).sort()).toEqual(['gmail:p2', 'gmail:p3']);
    log.add(promo, 'mute', NOW + 2, { scope: 'domain', value: 'shop.example' });
    expect(order([promo2, other], log.model())).toEqual([]);
    log.add(promo, 'unmute', NOW + 3, { scope: 'domain', value: 'shop.example' });
    expect(order([promo2, other], log.model())).toHaveLength(2);
    log.add(cryptoPost, 'mute', NOW + 4, { scope: 'topic', value: 'stablecoin' });
    expect(order([cryptoPost, cryptoPost2, rustPost], log.model())).toEqual(['rss:1', 'rss:3'].sort());
    log.add(cryptoPost, 'mute', NOW + 5, { scope: 'feed', value: 'rss/Coin Daily' });
    expect(order([cryptoPost, cryptoPost2, rustPost], log.model())).toEqual(['rss:1']);
  });

  it('never buries a meeting today because the user dislikes the same sender’s newsletters', () => {
    const from = 'Dana Ruiz <dana@acme.example>';
    const newsletter = (n: number) => email(`gmail:n${String(n)}`, `Weekly musings ${String(n)}`, from);
    const log = new Log();
    for (let n = 0; n < 6; n++) log.add(newsletter(n), 'down', NOW + n);
    const meeting: Item = {
      id: 'calendar:m1',
      kind: 'event',
      source: 'calendar',
      title: 'Weekly musings review',
      snippet: '',
      author: from,
      start: '2026-12-01T13:00:00Z',
      end: '2026-12-01T13:30:00Z',
      tags: [],
    };
    const model = log.model();
    const ranked = rankCandidates(baseCandidates([meeting], new Set(), context), model, context).ranked[0];
    const newsletterScore = model.score(snapshotOf(newsletter(9)), NOW).value;
    expect(newsletterScore).toBeLessThan(-0.5);
    expect(ranked?.score).toBeGreaterThanOrEqual(ranked?.base ?? Infinity);
    expect(ranked?.reasons).toContain('on your calendar today');
    // An email with a stated deadline from the same sender is protected the same way.
    const deadline = email('gmail:d1', 'Slides due tomorrow', from);
    const entry = rankCandidates(baseCandidates([deadline], new Set(), context), model, context).ranked[0];
    expect(entry?.score).toBeGreaterThan(entry?.base ?? Infinity);
  });

  it('seeds day one from the interests chosen at set-up', () => {
    const climate = news('rss:c', 'Climate talks reach a deal on emissions', 'World Desk', { category: 'news' });
    const football = news('rss:f', 'Football league transfer window opens', 'World Desk', { category: 'news' });
    expect(order([football, climate], new PreferenceModel(['climate']))).toEqual(['rss:c', 'rss:f']);
    expect(order([climate, football], new PreferenceModel(['football']))).toEqual(['rss:f', 'rss:c']);
    const { ranked } = rankCandidates(
      baseCandidates([climate], new Set(), context),
      new PreferenceModel(['climate']),
      context,
    );
    expect(ranked[0]?.reasons).toContain('matches your interest “climate”');
  });

  it('uses memory’s vectors for similarity when it has them, terms otherwise', () => {
    // No shared words at all: only meaning links the two.
    const liked = news('rss:v1', 'Borrow checker ergonomics', 'Blog A');
    const close = news('rss:v2', 'Lifetimes without tears', 'Blog B');
    const far = news('rss:v3', 'Tomato blight season', 'Blog C');
    const log = new Log();
    log.add(liked, 'up');
    const model = log.model();
    const vectors = new Map([
      ['rss:v1', [1, 0.1, 0]],
      ['rss:v2', [0.95, 0.2, 0.05]],
      ['rss:v3', [0, 0.1, 1]],
    ]);
    const byTerms = model.score(snapshotOf(close), NOW, { itemId: close.id });
    expect(byTerms.contributions.find((c) => c.kind === 'similar')).toBeUndefined();
    const byMeaning = model.score(snapshotOf(close), NOW, { itemId: close.id, vectors: (id) => vectors.get(id) });
    const similar = byMeaning.contributions.find((c) => c.kind === 'similar');
    expect(similar?.label).toBe('similar to “Borrow checker ergonomics” that you upvoted');
    expect(similar?.value).toBeGreaterThan(1);
    const unrelated = model.score(snapshotOf(far), NOW, { itemId: far.id, vectors: (id) => vectors.get(id) });
    expect(unrelated.contributions.find((c) => c.kind === 'similar')).toBeUndefined();
  });

  it('reset forgets votes and mutes that came before it', () => {
    const log = new Log();
    log.add(rustPost, 'up');
    log.add(cryptoPost, 'mute', NOW, { scope: 'feed', value: 'rss/Coin Daily' });
    log.events.push({
      seq: 3,
      at: new Date(NOW + 1).toISOString(),
      itemId: '*',
      action: 'reset',
      snapshot: snapshotOf(rustPost),
    });
    const model = log.model();
    expect(model.activeMutes()).toEqual([]);
    expect(model.voteOf('rss:1')).toBeUndefined();
    expect(model.score(snapshotOf(rustPost2), NOW + 2).value).toBe(0);
  });
});

describe('the model under awkward logs', () => {
  it('keeps a sender muted while another item’s mute of it stands, and undoing an unmute restores both', () => {
    const a = email('gmail:a', 'Deals', 'Shop <deals@shop.example>');
    const b = email('gmail:b', 'More deals', 'Shop <deals@shop.example>');
    const c = email('gmail:c', 'Even more deals', 'Shop <deals@shop.example>');
    const mute = { scope: 'sender' as const, value: 'deals@shop.example' };
    const log = new Log();
    log.add(a, 'mute', NOW, mute);
    log.add(b, 'mute', NOW + 1, mute);
    log.add(a, 'undo', NOW + 2);
    expect(order([c], log.model())).toEqual([]);
    log.add(c, 'unmute', NOW + 3, mute);
    expect(order([c], log.model())).toEqual(['gmail:c']);
    log.add(c, 'undo', NOW + 4);
    expect(order([c], log.model())).toEqual([]);
    log.add(b, 'undo', NOW + 5);
    expect(order([c], log.model())).toEqual(['gmail:c']);
  });

  it('matches a topic mute whatever the case of the category (Gmail’s are upper case)', () => {
    const promo = email('gmail:p', 'Flash sale', 'Shop <s@shop.example>', { category: 'CATEGORY_PROMOTIONS' });
    const log = new Log();
    log.add(promo, 'mute', NOW, { scope: 'topic', value: 'category_promotions' });
    expect(order([promo], log.model())).toEqual([]);
  });

  it('stays balanced when an event’s time goes backwards (a skewed clock): undo removes exactly the vote', () => {
    const log = new Log();
    log.add(rustPost, 'up', NOW);
    const once = log.model().score(snapshotOf(rustPost2), NOW + 10).value;
    log.add(cryptoPost, 'down', NOW - 10 * 86_400_000);
    log.add(cryptoPost, 'undo', NOW - 10 * 86_400_000 + 1);
    expect(log.model().score(snapshotOf(rustPost2), NOW + 10).value).toBeCloseTo(once, 9);
  });

  it('gives a deadline the full lift, but not a shop’s “expires today” nor an item the user voted down', () => {
    const from = 'Dana Ruiz <dana@acme.example>';
    const deadline = email('gmail:d', 'Slides due tomorrow', from);
    const promo = email('gmail:s', 'Offer expires today', 'Shop <s@shop.example>', { tags: ['CATEGORY_PROMOTIONS'] });
    const lift = (item: Item, model: PreferenceModel) => {
      const entry = rankCandidates(baseCandidates([item], new Set(), context), model, context).ranked[0];
      return (entry?.score ?? 0) - (entry?.base ?? 0);
    };
    const none = new PreferenceModel();
    expect(lift(deadline, none)).toBeCloseTo(PREF_SPAN, 3);
    expect(lift(promo, none)).toBeCloseTo(0, 3);
    const log = new Log();
    log.add(deadline, 'down');
    expect(lift(deadline, log.model())).toBeLessThanOrEqual(0);
  });
});

describe('evidence counted once', () => {
  const kinds = (item: Item, model: PreferenceModel) =>
    model.score(snapshotOf(item), NOW, { itemId: item.id }).contributions.map((c) => c.kind);

  it('does not add a story’s category or its feed’s own site on top of the feed: they are the same votes', () => {
    const log = new Log();
    log.add(rustPost, 'up');
    log.add(cryptoPost, 'down', NOW + 1);
    const model = log.model();
    expect(kinds(rustPost2, model)).toContain('feed');
    expect(kinds(rustPost2, model)).not.toContain('category');
    expect(kinds(rustPost2, model)).not.toContain('domain');
    // The site counts where it says something the feed does not: a link's own site on Hacker News.
    const hn = (id: string, domain: string) =>
      news(id, `Story ${id}`, 'Hacker News', { source: 'hackernews', meta: { domain } });
    log.add(hn('hn:1', 'github.com'), 'up', NOW + 2);
    log.add(hn('hn:2', 'nytimes.com'), 'down', NOW + 3);
    expect(kinds(hn('hn:3', 'github.com'), log.model())).toContain('domain');
  });

  it('counts a company’s domain for a new colleague, and for the first only once a second has votes', () => {
    const dana = email('gmail:1', 'Budget review', 'Dana Ruiz <dana@acme.example>');
    const li = email('gmail:2', 'Build is green', 'Li Wei <li@acme.example>');
    const log = new Log();
    log.add(dana, 'up');
    expect(kinds(email('gmail:3', 'Offsite', 'Dana Ruiz <dana@acme.example>'), log.model())).not.toContain('domain');
    expect(kinds(li, log.model())).toContain('domain');
    log.add(li, 'up', NOW + 1);
    expect(kinds(email('gmail:4', 'Offsite', 'Dana Ruiz <dana@acme.example>'), log.model())).toContain('domain');
  });

  it('says how much the votes know of an item: none for a stranger, more with each vote on its feed or like it', () => {
    const log = new Log();
    const stranger = news('rss:x', 'Allotment waiting lists grow', 'Garden Notes', { category: 'news' });
    expect(log.model().score(snapshotOf(rustPost2), NOW).evidence).toBe(0);
    log.add(rustPost, 'up');
    const one = log.model();
    expect(one.score(snapshotOf(rustPost2), NOW).evidence).toBeGreaterThanOrEqual(1);
    expect(one.score(snapshotOf(stranger), NOW).evidence).toBe(0);
    log.add(news('rss:5', 'Rust async traits land', 'Rust Blog'), 'up', NOW + 1);
    expect(log.model().score(snapshotOf(rustPost2), NOW + 1).evidence).toBeGreaterThan(
      one.score(snapshotOf(rustPost2), NOW).evidence,
    );
  });
});

describe('evidence that does not run away', () => {
  it('takes five votes to decide: a feed that posts more and so got more votes is not liked more', () => {
    const log = new Log();
    for (let i = 0; i < 20; i++) log.add(news(`rss:a${String(i)}`, `Story ${String(i)}`, 'Busy Wire'), 'up', NOW + i);
    for (let i = 0; i < 5; i++) log.add(news(`rss:b${String(i)}`, `Item ${String(i)}`, 'Quiet Wire'), 'up', NOW + 20);
    log.add(cryptoPost, 'down', NOW + 21);
    const learned = new Map(
      log
        .model()
        .learned(NOW + 21)
        .map((f) => [f.key, f.evidence]),
    );
    expect(learned.get('feed:rss/Busy Wire')).toBeGreaterThan(0);
    expect(learned.get('feed:rss/Busy Wire')).toBeCloseTo(learned.get('feed:rss/Quiet Wire') ?? 0, 9);
  });

  it('weighs the votes on items like this one together: mixed ones cancel, and the reason names the winning side', () => {
    const up = (id: string) => news(id, 'Rust compiler gets faster builds', 'Blog A');
    const down = (id: string) => news(id, 'Rust compiler gets faster builds', 'Blog B');
    const target = news('rss:t', 'Rust compiler gets faster builds', 'Blog C');
    const similar = (log: Log) =>
      log
        .model()
        .score(snapshotOf(target), NOW + 10, { itemId: target.id })
        .contributions.find((c) => c.kind === 'similar');
    const mixed = new Log();
    mixed.add(up('rss:u1'), 'up');
    mixed.add(down('rss:d1'), 'down', NOW + 1);
    expect(similar(mixed)).toBeUndefined();
    const leaning = new Log();
    leaning.add(up('rss:u1'), 'up');
    leaning.add(down('rss:d1'), 'down', NOW + 1);
    leaning.add(up('rss:u2'), 'up', NOW + 2);
    expect(similar(leaning)?.value).toBeGreaterThan(0);
    expect(similar(leaning)?.label).toMatch(/that you upvoted/);
    const one = new Log();
    one.add(up('rss:u1'), 'up');
    expect(similar(leaning)?.value).toBeLessThan(similar(one)?.value ?? 0);
  });
});

describe('item snapshots', () => {
  it('take a Gmail sender’s address and domain from the connector, and no feed for mail', () => {
    const snapshot = snapshotOf(
      email('gmail:x', 'Quarterly numbers', 'Dana Ruiz', {
        origin: 'me@example.com',
        meta: { from: 'dana@acme.example', domain: 'acme.example' },
      }),
    );
    expect(snapshot).toMatchObject({ sender: 'dana@acme.example', domain: 'acme.example' });
    expect(snapshot.feed).toBeUndefined();
  });
});
