import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomFeed, htmlPage, rssFeed } from '../test/fakes/feed-fixtures.ts';
import { startFeedServer, type FeedServer } from '../test/fakes/feed-server.ts';
import { fixedClock } from '../core/clock.ts';
import { memoryLogger } from '../core/log.ts';
import { parseSettings, type SettingsInput } from '../core/settings.ts';
import { createApi } from './api.ts';
import { BriefService } from './service.ts';

/** A podcast as directories publish them: iTunes tags and an audio file on every episode. */
const PODCAST = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
<title>The Morning Cast</title>
<link>https://cast.example/</link>
<description>Ten minutes of news.</description>
<itunes:author>Cast Ltd</itunes:author>
<itunes:category text="News"><itunes:category text="Daily News"/></itunes:category>
<item><title>Episode 2</title><guid>ep-2</guid><enclosure url="https://cast.example/2.mp3" length="100" type="audio/mpeg"/></item>
<item><title>Episode 1</title><guid>ep-1</guid><enclosure url="https://cast.example/1.mp3" length="100" type="audio/mpeg"/></item>
</channel>
</rss>`;

/** A personal blog made with Hugo, about programming; its title has markup escaped into it. */
const BLOG = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>Ana &amp;amp; Bo&#8217;s &lt;b&gt;notes&lt;/b&gt;</title>
<link>https://ana.example/</link>
<description>Notes on software and programming</description>
<generator>Hugo -- gohugo.io</generator>
<item><title>Rust lifetimes</title><guid>p1</guid><category>programming</category></item>
<item><title>Why I left Vim</title><guid>p2</guid><category>software</category></item>
</channel>
</rss>`;

let feeds: FeedServer;
const dirs: string[] = [];
beforeAll(async () => {
  feeds = await startFeedServer({
    podcast: { body: PODCAST },
    notes: { body: BLOG },
    markets: {
      contentType: 'application/atom+xml',
      body: atomFeed({
        title: 'Wire Markets',
        entries: [
          { id: 'a', title: 'Stocks slip', updated: '2026-12-01T05:00:00Z', categories: ['Markets', 'Stocks'] },
          { id: 'b', title: 'Rates hold', updated: '2026-12-01T04:00:00Z', categories: ['Economy'] },
        ],
      }),
    },
    city: {
      body: rssFeed({ title: 'City Herald', description: 'Local news', items: [{ title: 'Bridge opens', guid: 'x' }] }),
    },
    // The fixture page names /feed.xml, which is not there.
    page: { contentType: 'text/html; charset=utf-8', body: htmlPage() },
    plainpage: { contentType: 'text/html', body: '<!doctype html><title>Hi</title><p>No feeds here.</p>' },
    site: {
      contentType: 'text/html; charset=utf-8',
      body: [
        '<!doctype html><html><head><title>Ana</title>',
        '<link rel="alternate" type="application/rss+xml" title="Comments" href="/feeds/comments">',
        '<link rel="stylesheet" href="/style.css">',
        '<link rel="alternate" type="application/rss+xml" title="Posts" href="notes">',
        '</head><body>Hello</body></html>',
      ].join('\n'),
    },
    text: { contentType: 'text/plain', body: 'hello, not a feed' },
    gone: { status: 404, body: 'not here' },
    slow: { body: rssFeed({ title: 'Slow', items: [] }), delayMs: 3000 },
  });
});
afterAll(async () => {
  await feeds.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function api(input: SettingsInput = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'db-feeds-'));
  dirs.push(dir);
  const service = new BriefService({
    dataDir: dir,
    clock: fixedClock('2026-12-01T06:00:00.000Z'),
    settings: { settings: parseSettings(input), fromFile: true, locationSet: true },
    log: memoryLogger(),
    memory: false,
  });
  return createApi(service);
}

describe('feeds/inspect', () => {
  it('reads the title and says what the feed is: a podcast, a blog, a newsroom, and its section', async () => {
    const calls = api();
    expect(await calls['feeds/inspect']({ url: feeds.url('podcast') })).toEqual({
      ok: true,
      feed: { url: feeds.url('podcast'), title: 'The Morning Cast', kind: 'podcast', category: 'news', entries: 2 },
    });
    // The title as text: the markup escaped into it is gone, its entities read.
    expect(await calls['feeds/inspect']({ url: feeds.url('notes') })).toEqual({
      ok: true,
      feed: { url: feeds.url('notes'), title: 'Ana & Bo’s notes', kind: 'blog', category: 'tech', entries: 2 },
    });
    expect(await calls['feeds/inspect']({ url: feeds.url('markets') })).toMatchObject({
      ok: true,
      feed: { title: 'Wire Markets', kind: 'news', category: 'market' },
    });
    expect(await calls['feeds/inspect']({ url: feeds.url('city') })).toMatchObject({
      ok: true,
      feed: { title: 'City Herald', kind: 'news', category: 'news' },
    });
  });

  it('takes a web page for the feed it names, the posts before the comments', async () => {
    const before = feeds.requestsFor('comments').length;
    expect(await api()['feeds/inspect']({ url: feeds.url('site') })).toEqual({
      ok: true,
      feed: { url: feeds.url('notes'), title: 'Ana & Bo’s notes', kind: 'blog', category: 'tech', entries: 2 },
    });
    expect(feeds.requestsFor('comments').length).toBe(before);
  });

  it('says in one sentence why a feed could not be read', async () => {
    const calls = api({ refresh: { requestTimeoutMs: 300 } });
    const problem = async (url: string) => {
      const check = await calls['feeds/inspect']({ url });
      return check.ok ? 'read' : check.problem;
    };
    expect(await problem(feeds.url('gone'))).toBe('The site answered with an error instead of a feed.');
    expect(await problem(feeds.url('text'))).toBe('There is no feed at that address.');
    expect(await problem(feeds.url('slow'))).toBe('The site took too long to answer.');
    expect(await problem('http://127.0.0.1:9/feed.xml')).toBe('Nothing answered at that address.');
    expect(await problem(feeds.url('plainpage'))).toBe(
      'That web page names no feed: look on the site for its RSS or Atom link.',
    );
    // A page whose feed link leads nowhere says what went wrong with the feed.
    expect(await problem(feeds.url('page'))).toBe('The site answered with an error instead of a feed.');
  });

  it('refuses what is not a web address before fetching anything', async () => {
    const before = feeds.requests.length;
    await expect(api()['feeds/inspect']({ url: 'file:///etc/passwd' })).rejects.toThrow(
      /^feeds\/inspect: url: give the feed’s web address, starting with https:\/\/$/,
    );
    expect(feeds.requests.length).toBe(before);
  });
});
