import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/types.ts';
import { scoreItem } from '../ranking/baseline.ts';
import type { RankedItem } from '../workflow/state.ts';
import { composeExtractiveBrief } from './extractive.ts';

const NOW = new Date('2026-12-01T07:00:00.000Z'); // 08:00 in Berlin
const TZ = 'Europe/Berlin';

function it_(id: string, kind: Item['kind'], extra: Partial<Item> = {}): Item {
  return { id, kind, source: kind === 'news' ? 'rss' : kind, title: `T ${id}`, snippet: '', tags: [], ...extra };
}

function rank(items: Item[], stale: string[] = []): RankedItem[] {
  return items
    .map((item) => ({
      item,
      stale: stale.includes(item.id),
      score: scoreItem(item, stale.includes(item.id), { now: NOW, timezone: TZ }),
    }))
    .sort((a, b) => b.score - a.score);
}

function compose(items: Item[], stale: string[] = []) {
  return composeExtractiveBrief({
    id: 'b',
    ranked: rank(items, stale),
    sources: [],
    now: NOW,
    timezone: TZ,
    dataAsOf: NOW.toISOString(),
    fetchMs: 1,
    notices: [],
    demo: false,
  });
}

const recent = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString();
const at = (hhmm: string, day = '2026-12-01') => new Date(`${day}T${hhmm}:00+01:00`).toISOString();

const email = it_('gmail:1', 'email', {
  author: 'Priya',
  title: 'Contract due 3pm',
  publishedAt: recent(1),
  tags: ['IMPORTANT'],
});
const meeting = it_('calendar:1', 'event', {
  title: 'Stand-up',
  start: at('09:30'),
  end: at('09:45'),
  meta: { location: 'Room 1' },
});
const laterMeeting = it_('calendar:2', 'event', { title: 'Review', start: at('11:00'), end: at('12:00') });
const pastMeeting = it_('calendar:0', 'event', { title: 'Early call', start: at('07:00'), end: at('07:30') });
const tomorrow = it_('calendar:3', 'event', {
  title: 'Dentist',
  start: at('08:15', '2026-12-02'),
  end: at('09:00', '2026-12-02'),
});
const yesterday = it_('calendar:9', 'event', {
  title: 'Old',
  start: at('10:00', '2026-11-30'),
  end: at('11:00', '2026-11-30'),
});
const market = it_('rss:m1', 'news', {
  category: 'market',
  origin: 'Market Wire',
  title: 'Rates hold',
  publishedAt: recent(2),
  url: 'https://m.example/1',
});
const market2 = it_('rss:m2', 'news', {
  category: 'market',
  origin: 'Market Wire',
  title: 'Chips up',
  publishedAt: recent(5),
  url: 'https://m.example/2',
});
const tech = it_('hackernews:1', 'news', {
  source: 'hackernews',
  origin: 'Hacker News',
  title: 'Show HN',
  publishedAt: recent(3),
  meta: { score: 400 },
  url: 'https://t.example/1',
});
const weather = it_('weather:2026-12-01', 'weather', {
  meta: {
    itemId: 'weather:2026-12-01',
    summary: 'Rain',
    advice: ['Take an umbrella.'],
    high: 8,
    low: 3,
    precipitationProbability: 80,
  },
});

describe('extractive brief', () => {
  it('writes a TLDR of three bullets in the order email, calendar, market, tech', () => {
    const brief = compose([tech, market, meeting, laterMeeting, email, weather]);
    expect(brief.tldr.map((b) => b.itemIds)).toEqual([['gmail:1'], ['calendar:1'], ['rss:m1']]);
    expect(brief.tldr[0]?.text).toBe('Priya: Contract due 3pm.');
    expect(brief.tldr[1]?.text).toBe('Next: Stand-up at 09:30, in 1 h 30 min (Room 1); 2 events today.');
    expect(brief.tldr[2]?.text).toBe('Rates hold (Market Wire)');
  });

  it('fills the TLDR from what exists when some kinds are missing', () => {
    const brief = compose([tech, market, market2]);
    expect(brief.tldr.map((b) => b.itemIds[0])).toEqual(['rss:m1', 'hackernews:1', 'rss:m2']);
    expect(brief.tldr[1]?.text).toBe('Show HN (Hacker News, 400 points)');
    expect(compose([tech]).tldr).toHaveLength(1);
    expect(compose([]).tldr).toEqual([]);
  });

  it('points the calendar bullet at the next meeting, not one already over', () => {
    const brief = compose([pastMeeting, laterMeeting, meeting]);
    expect(brief.tldr[0]).toEqual({
      text: 'Next: Stand-up at 09:30, in 1 h 30 min (Room 1); 3 events today.',
      itemIds: ['calendar:1'],
    });
  });

  it('groups items into sections in a fixed order, with the calendar as a timeline of today and tomorrow', () => {
    const brief = compose([tech, market, laterMeeting, tomorrow, yesterday, meeting, email, weather]);
    expect(brief.sections.map((s) => s.kind)).toEqual(['email', 'calendar', 'market', 'tech']);
    expect(brief.sections.find((s) => s.kind === 'calendar')?.items.map((i) => i.id)).toEqual([
      'calendar:1',
      'calendar:2',
      'calendar:3',
    ]);
    expect(brief.weather).toMatchObject({ summary: 'Rain', advice: ['Take an umbrella.'] });
    expect(compose([tech]).weather).toBeNull();
  });

  it('keeps the calendar to today and tomorrow', () => {
    const later = it_('calendar:4', 'event', {
      title: 'Offsite',
      start: at('09:00', '2026-12-03'),
      end: at('17:00', '2026-12-03'),
    });
    const ids = compose([meeting, tomorrow, later]).sections[0]?.items.map((i) => i.id);
    expect(ids).toEqual(['calendar:1', 'calendar:3']);
  });

  it('shows only today’s forecast, marked when it is an earlier fetch served stale', () => {
    expect(compose([weather], ['weather:2026-12-01']).weather).toMatchObject({ summary: 'Rain', stale: true });
    const old = { ...weather, id: 'weather:2026-11-30' };
    expect(compose([old], ['weather:2026-11-30']).weather).toBeNull();
  });

  it('drops news older than three days and the same story seen twice', () => {
    const old = it_('rss:old', 'news', { category: 'tech', publishedAt: recent(80), url: 'https://o.example/' });
    const dup = it_('rss:dup', 'news', { category: 'tech', publishedAt: recent(4), url: 'https://t.example/1?utm=x' });
    const ids = compose([tech, old, dup]).sections.flatMap((s) => s.items.map((i) => i.id));
    expect(ids).toEqual(['hackernews:1']);
  });

  it('every TLDR bullet cites items that appear in the brief', () => {
    const brief = compose([tech, market, market2, meeting, email]);
    const ids = new Set(brief.sections.flatMap((s) => s.items.map((i) => i.id)));
    for (const bullet of brief.tldr) for (const id of bullet.itemIds) expect(ids.has(id)).toBe(true);
  });
});

describe('baseline ranking', () => {
  it('puts a meeting today above fresh news, and fresh news above old news', () => {
    const ctx = { now: NOW, timezone: TZ };
    expect(scoreItem(meeting, false, ctx)).toBeGreaterThan(scoreItem(market, false, ctx));
    expect(scoreItem(market, false, ctx)).toBeGreaterThan(scoreItem(market2, false, ctx));
  });

  it('ranks popular stories and important mail higher, and stale items lower', () => {
    const ctx = { now: NOW, timezone: TZ };
    const quiet = { ...tech, id: 'hackernews:2', meta: { score: 3 } };
    expect(scoreItem(tech, false, ctx)).toBeGreaterThan(scoreItem(quiet, false, ctx));
    const promo = { ...email, id: 'gmail:2', tags: ['CATEGORY_PROMOTIONS'] };
    expect(scoreItem(email, false, ctx)).toBeGreaterThan(scoreItem(promo, false, ctx));
    expect(scoreItem(market, true, ctx)).toBeLessThan(scoreItem(market, false, ctx));
  });
});
