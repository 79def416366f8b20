import { describe, expect, it } from 'vitest';
import type { Item } from '../../core/types.ts';
import type { FeedbackEvent } from './events.ts';
import { describeLearned } from './explain.ts';
import { snapshotOf } from './features.ts';
import { PreferenceModel } from './model.ts';

const NOW = Date.parse('2026-12-01T07:00:00Z');

function item(id: string, extra: Partial<Item>): Item {
  return {
    id,
    kind: 'news',
    source: 'rss',
    title: `Story ${id}`,
    snippet: '',
    publishedAt: '2026-12-01T05:00:00Z',
    tags: [],
    ...extra,
  };
}

const story = (id: string, feed: string, extra: Partial<Item> = {}) =>
  item(id, {
    origin: feed,
    category: 'tech',
    url: `https://${feed.toLowerCase().replace(/\s+/g, '')}.example/${id}`,
    ...extra,
  });
const mail = (id: string, from: string) => item(id, { kind: 'email', source: 'gmail', author: from });

/** The lines said after these votes, in order, all at NOW. */
function learned(votes: [Item, 'up' | 'down'][]): string[] {
  const events: FeedbackEvent[] = votes.map(([voted, action], index) => ({
    seq: index + 1,
    at: new Date(NOW).toISOString(),
    itemId: voted.id,
    action,
    snapshot: snapshotOf(voted),
  }));
  return describeLearned(PreferenceModel.replay(events), NOW).map((line) => line.label);
}

describe('what has been learned, in words', () => {
  it('says a feed once: not again as its section, its source or its own site', () => {
    const lines = learned([
      [story('a', 'Rust Blog'), 'up'],
      [story('b', 'Rust Blog'), 'up'],
      [story('c', 'Go Weekly'), 'up'],
    ]);
    expect(lines).toContain('You like posts from Rust Blog (2 votes)');
    expect(lines).toContain('You like posts from Go Weekly (1 vote)');
    expect(lines.filter((line) => /Rust Blog|rustblog/i.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /\btech\b|\bTech\b|\brss\b/.test(line))).toEqual([]);
  });

  it('says a site that is more than one feed: the links of Hacker News stories', () => {
    const lines = learned([
      [story('a', 'Hacker News', { url: 'https://github.com/a' }), 'up'],
      [story('b', 'Hacker News', { url: 'https://lwn.net/b' }), 'up'],
      [story('c', 'Hacker News', { url: 'https://github.com/c' }), 'up'],
    ]);
    expect(lines).toContain('You like posts from Hacker News (3 votes)');
    expect(lines).toContain('You like items from github.com (2 votes)');
  });

  it('says a sender once, not again as the domain, and the domain of two senders not at all', () => {
    const lines = learned([
      [mail('1', 'Shop <deals@shop.example>'), 'down'],
      [mail('2', 'Ana <ana@acme.example>'), 'up'],
      [mail('3', 'Bo <bo@acme.example>'), 'up'],
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'You skip email from deals@shop.example (1 vote)',
        'You like email from ana@acme.example (1 vote)',
        'You like email from bo@acme.example (1 vote)',
      ]),
    );
    expect(lines.filter((line) => /shop\.example|acme\.example/.test(line))).toHaveLength(3);
    expect(lines.filter((line) => /gmail/.test(line))).toEqual([]);
  });

  it('says a section where it counts (stories without a feed), and both ways of the votes when they differ', () => {
    const lines = learned([
      [item('a', { category: 'market' }), 'up'],
      [item('b', { category: 'market' }), 'up'],
      [item('c', { category: 'market' }), 'up'],
      [item('d', { category: 'market' }), 'down'],
      [item('e', { category: 'news' }), 'down'],
      [item('f', { category: 'news' }), 'down'],
    ]);
    expect(lines).toEqual(['You skip stories in News (2 votes)', 'You like stories in Markets (3 more, 1 less)']);
  });

  it('calls the organiser of a meeting by what it is', () => {
    const meeting = (id: string) =>
      item(id, {
        kind: 'event',
        source: 'calendar',
        author: 'Lee <lee@team.example>',
        meta: { organizer: 'lee@team.example' },
      });
    expect(learned([[meeting('e1'), 'up']])).toContain('You like meetings from lee@team.example (1 vote)');
  });
});
