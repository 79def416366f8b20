import { parseFeed } from 'feedsmith';
import { describe, expect, it } from 'vitest';
import { atomFeed, rssFeed } from '../test/fakes/feed-fixtures.ts';
import { describeFeed } from './feed-kind.ts';

const plain = parseFeed(rssFeed({ title: 'Front page', items: [{ title: 'A story', guid: '1' }] }));

describe('what a feed is, from what it says', () => {
  it('takes Hacker News, from its own site or hnrss.org, as tech news', () => {
    expect(describeFeed(plain, 'https://news.ycombinator.com/rss')).toEqual({ kind: 'news', category: 'tech' });
    expect(describeFeed(plain, 'https://hnrss.org/frontpage?points=100')).toEqual({ kind: 'news', category: 'tech' });
    expect(describeFeed(plain, 'https://example.com/hnrss.org')).toEqual({ kind: 'news', category: 'news' });
  });

  it('knows a blog by its host or its path, and a podcast by video or audio on most entries', () => {
    expect(describeFeed(plain, 'https://someone.substack.com/feed').kind).toBe('blog');
    expect(describeFeed(plain, 'https://example.com/blog/feed.xml').kind).toBe('blog');
    const video = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Talks',
        items: [
          { id: '1', attachments: [{ url: 'https://t.example/1.mp4', mime_type: 'video/mp4' }] },
          { id: '2', content_text: 'notes' },
        ],
      }),
    );
    expect(describeFeed(video, 'https://t.example/feed.json').kind).toBe('podcast');
    const once = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Mostly text',
        items: [
          { id: '1', attachments: [{ url: 'https://t.example/1.mp3', mime_type: 'audio/mpeg' }] },
          { id: '2', content_text: 'a' },
          { id: '3', content_text: 'b' },
        ],
      }),
    );
    expect(describeFeed(once, 'https://t.example/feed.json').kind).toBe('news');
  });

  it('puts a feed in Tech or Markets when its words lean that way, else in the general news', () => {
    const tech = parseFeed(
      atomFeed({
        title: 'Dev Weekly',
        entries: [{ id: 'a', title: 'x', updated: '2026-12-01T00:00:00Z', categories: ['Programming'] }],
      }),
    );
    expect(describeFeed(tech, 'https://dev.example/atom').category).toBe('tech');
    const both = parseFeed(rssFeed({ title: 'Tech and business', description: 'News', items: [] }));
    expect(describeFeed(both, 'https://mixed.example/rss').category).toBe('news');
    const money = parseFeed(rssFeed({ title: 'Daily Markets', description: 'Stocks and the economy', items: [] }));
    expect(describeFeed(money, 'https://money.example/rss').category).toBe('market');
  });
});
