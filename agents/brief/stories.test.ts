import { describe, expect, it } from 'vitest';
import type { Brief, Item } from '../../core/types.ts';
import { scoreItem } from '../ranking/baseline.ts';
import type { RankedItem } from '../workflow/state.ts';
import { composeExtractiveBrief } from './extractive.ts';
import { historyOf } from './repeats.ts';

const NOW = new Date('2026-12-03T07:00:00.000Z');
const TZ = 'Europe/Berlin';
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function news(id: string, title: string, snippet: string, extra: Partial<Item> = {}): Item {
  return {
    id,
    kind: 'news',
    source: 'rss',
    origin: id.split(':')[1],
    title,
    snippet,
    url: `https://${id.replace(':', '.')}.example/story`,
    category: 'news',
    publishedAt: hoursAgo(2),
    tags: [],
    ...extra,
  };
}

function ranked(items: Item[]): RankedItem[] {
  return items
    .map((item) => ({ item, stale: false, score: scoreItem(item, false, { now: NOW, timezone: TZ }) }))
    .sort((a, b) => b.score - a.score);
}

function compose(items: Item[], earlier: Brief[] = [], now = NOW) {
  return composeExtractiveBrief({
    id: 'b',
    ranked: ranked(items),
    sources: [],
    now,
    timezone: TZ,
    dataAsOf: now.toISOString(),
    fetchMs: 1,
    notices: [],
    demo: false,
    history: historyOf(earlier, '2026-12-03'),
  });
}

const quake = news(
  'rss:wire',
  'Strong earthquake strikes off coast of Chile',
  'A magnitude 7.1 earthquake struck off the Chilean coast on Tuesday, officials said.',
  { publishedAt: hoursAgo(1) },
);
const quake2 = news(
  'rss:daily',
  'Chile coast hit by magnitude 7.1 earthquake',
  'Officials said the earthquake struck off the coast of Chile on Tuesday evening.',
);
const quake3 = news('hackernews:9', 'Earthquake of magnitude 7.1 strikes Chile', 'usgs.gov', {
  source: 'hackernews',
  origin: 'Hacker News',
});
const rates = news('rss:money', 'Central bank holds interest rates steady', 'The bank kept its rate at 4 percent.');
const quakeMail: Item = {
  id: 'gmail:1',
  kind: 'email',
  source: 'gmail',
  title: 'Earthquake off the coast of Chile',
  snippet: 'A magnitude 7.1 earthquake struck off the Chilean coast; is our office fine?',
  author: 'Li Wei <li@acme.example>',
  publishedAt: hoursAgo(1),
  tags: [],
};

function briefOn(date: string, items: Item[]): Brief {
  return { ...compose(items, [], new Date(`${date}T07:00:00.000Z`)), date, timings: { fetchMs: 0, totalMs: 0 } };
}

describe('one story, once', () => {
  it('folds reworded reports from different feeds into the best-ranked one, and never an email', () => {
    const brief = compose([quake, quake2, quake3, rates, quakeMail]);
    const items = brief.sections.flatMap((s) => s.items);
    const lead = items.find((i) => i.id === 'rss:wire');
    expect(lead?.alsoFrom?.map((a) => a.id).sort()).toEqual(['hackernews:9', 'rss:daily']);
    expect(lead?.alsoFrom?.find((a) => a.id === 'rss:daily')).toEqual({
      id: 'rss:daily',
      title: quake2.title,
      origin: 'daily',
      url: quake2.url,
    });
    expect(items.map((i) => i.id).sort()).toEqual(['gmail:1', 'rss:money', 'rss:wire']);
    expect(items.find((i) => i.id === 'rss:money')?.alsoFrom).toBeUndefined();
  });
});

describe('nothing stale twice', () => {
  it('marks what an earlier brief showed unchanged, folds it after the new items and keeps it out of the TL;DR', () => {
    const yesterday = briefOn('2026-12-02', [rates]);
    const fresh = news('rss:money2', 'Shipping rates fall for third week', 'Freight prices dropped again on Monday.');
    const brief = compose([rates, fresh], [yesterday]);
    const section = brief.sections.find((s) => s.kind === 'news');
    expect(section?.items.map((i) => [i.id, i.firstShownOn])).toEqual([
      ['rss:money2', undefined],
      ['rss:money', '2026-12-02'],
    ]);
    expect(brief.tldr.flatMap((b) => b.itemIds)).toEqual(['rss:money2']);
  });

  it('drops a story first shown two days ago, and counts a retelling of a story shown before as seen', () => {
    const before = briefOn('2026-12-01', [rates]);
    expect(compose([rates], [before]).sections).toEqual([]);
    const yesterday = briefOn('2026-12-02', [quake2]);
    const item = compose([quake, quake2], [yesterday]).sections[0]?.items[0];
    expect(item).toMatchObject({ id: 'rss:wire', firstShownOn: '2026-12-02' });
  });

  it('says what changed: a meeting moved, a story whose points jumped, a new message in a thread', () => {
    const meeting: Item = {
      id: 'calendar:1',
      kind: 'event',
      source: 'calendar',
      title: 'Design review',
      snippet: '',
      start: '2026-12-03T09:00:00.000Z',
      end: '2026-12-03T10:00:00.000Z',
      tags: [],
    };
    const story = news('hackernews:5', 'Show HN: a tiny database', 'db.example', {
      source: 'hackernews',
      meta: { score: 120, comments: 10 },
    });
    const thread: Item = { ...quakeMail, id: 'gmail:2', meta: { threadId: 't1' } };
    const yesterday = briefOn('2026-12-02', [meeting, story, thread]);
    const moved = { ...meeting, start: '2026-12-03T10:30:00.000Z', end: '2026-12-03T11:30:00.000Z' };
    const hot = { ...story, meta: { score: 480, comments: 30 } };
    const reply = { ...thread, id: 'gmail:3', title: 'Re: Earthquake off the coast of Chile' };
    const items = compose([moved, hot, reply], [yesterday]).sections.flatMap((s) => s.items);
    expect(items.map((i) => [i.id, i.updated, i.change, i.firstShownOn])).toEqual([
      ['gmail:3', true, 'new message in a thread shown on 2026-12-02', undefined],
      ['calendar:1', true, 'moved from 10:00 to 11:30', undefined],
      ['hackernews:5', true, 'points up from 120 to 480', undefined],
    ]);
    // An unchanged meeting is not a repeat: today is its day.
    expect(compose([meeting], [yesterday]).sections[0]?.items[0]?.firstShownOn).toBeUndefined();
  });
});
