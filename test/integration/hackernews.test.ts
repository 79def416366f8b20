import { afterEach, describe, expect, test } from 'vitest';
import { hackerNewsConnector } from '../../connectors/hackernews.ts';
import type { ConnectorContext } from '../../connectors/types.ts';
import { fixedClock } from '../../core/clock.ts';
import { parseSettings } from '../../core/settings.ts';
import { SNIPPET_MAX } from '../../core/types.ts';
import {
  SAMPLE_TIME,
  sampleStories,
  startHnServer,
  type HnServer,
  type HnServerOptions,
  type HnWireItem,
} from '../fakes/hn-server.ts';
import { failure, memoryCache } from '../helpers/connector-cache.ts';

const servers: HnServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: HnServerOptions): Promise<HnServer> {
  const server = await startHnServer(options);
  servers.push(server);
  return server;
}

function contextFor(
  server: HnServer,
  hn: { maxStories?: number; concurrency?: number } = {},
  extra: { requestTimeoutMs?: number; signal?: AbortSignal } = {},
): ConnectorContext {
  return {
    settings: parseSettings({
      location: { name: 'Berlin', latitude: 52.52, longitude: 13.41, timezone: 'Europe/Berlin' },
      sources: { hackernews: { baseUrl: server.apiBaseUrl, ...hn } },
    }),
    signal: extra.signal ?? new AbortController().signal,
    clock: fixedClock('2024-01-15T07:00:00Z'),
    cache: memoryCache(),
    requestTimeoutMs: extra.requestTimeoutMs ?? 2000,
  };
}

test('connector identity', () => {
  expect(hackerNewsConnector.id).toBe('hackernews');
  expect(hackerNewsConnector.label).toBe('Hacker News');
  expect(hackerNewsConnector.kinds).toEqual(['news']);
  const on = parseSettings({});
  const off = parseSettings({ sources: { hackernews: { enabled: false } } });
  expect([hackerNewsConnector.enabled(on), hackerNewsConnector.enabled(off)]).toEqual([true, false]);
});

describe('stories', () => {
  test('a link story becomes a full item', async () => {
    const server = await serve({
      stories: [
        {
          id: 8863,
          type: 'story',
          by: 'dhouston',
          time: 1175714200,
          title: 'My YC app: Dropbox - Throw away your hard drive',
          url: 'http://www.getdropbox.com/u/2/screencast.html',
          score: 111,
          descendants: 71,
          kids: [9224, 8917],
        },
      ],
    });
    const result = await hackerNewsConnector.fetch(contextFor(server));
    expect(result).toEqual({
      warnings: [],
      items: [
        {
          id: 'hackernews:8863',
          kind: 'news',
          source: 'hackernews',
          origin: 'Hacker News',
          category: 'tech',
          title: 'My YC app: Dropbox - Throw away your hard drive',
          url: 'http://www.getdropbox.com/u/2/screencast.html',
          snippet: 'getdropbox.com',
          author: 'dhouston',
          publishedAt: '2007-04-04T19:16:40.000Z',
          tags: [],
          meta: {
            score: 111,
            comments: 71,
            hnUrl: 'https://news.ycombinator.com/item?id=8863',
            domain: 'getdropbox.com',
          },
        },
      ],
    });
    expect(server.requests.map((r) => r.path)).toEqual(['/v0/topstories.json', '/v0/item/8863.json']);
  });

  test('an Ask HN text post links to the discussion and carries its text as plain text', async () => {
    const server = await serve({
      stories: [
        {
          id: 121003,
          type: 'story',
          by: 'tel',
          time: SAMPLE_TIME,
          title: 'Ask HN: The Arc Effect',
          text: '<i>or</i> HN: the Next Iteration<p>I&#x27;m not sure &quot;fix&quot; &amp; <a href="https://x.org">this</a> work.',
          score: 1,
          descendants: 1,
        },
      ],
    });
    const [item] = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(item?.url).toBe('https://news.ycombinator.com/item?id=121003');
    expect(item?.snippet).toBe('or HN: the Next Iteration I\'m not sure "fix" & this work.');
    expect(item?.publishedAt).toBe('2024-01-15T06:00:00.000Z');
    expect(item?.meta).toEqual({
      score: 1,
      comments: 1,
      hnUrl: 'https://news.ycombinator.com/item?id=121003',
      domain: 'news.ycombinator.com',
    });
  });

  test('a long text post is cut so the snippet fits SNIPPET_MAX', async () => {
    const paragraph = `<p>${'lorem ipsum dolor sit amet '.repeat(40)}</p>`;
    const server = await serve({
      stories: [
        { id: 77, type: 'story', title: 'Ask HN: Long?', text: paragraph.repeat(10), score: 3, descendants: 0 },
      ],
    });
    const [item] = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(item?.snippet.length).toBeLessThanOrEqual(SNIPPET_MAX);
    expect(item?.snippet.length).toBeGreaterThan(SNIPPET_MAX - 20);
    expect(item?.snippet.startsWith('lorem ipsum dolor sit amet lorem')).toBe(true);
    expect(item?.snippet.endsWith('…')).toBe(true);
  });

  test('topstories order is kept even when answers arrive in another order', async () => {
    const stories = sampleStories(5);
    // The first-ranked story answers last, the last-ranked first.
    const itemLatencyMs = Object.fromEntries(stories.map((s, i) => [s.id, (5 - i) * 15]));
    const server = await serve({ stories, topStories: [9003, 9001, 9005, 9002, 9004], itemLatencyMs });
    const result = await hackerNewsConnector.fetch(contextFor(server));
    expect(result.items.map((i) => i.id)).toEqual([
      'hackernews:9003',
      'hackernews:9001',
      'hackernews:9005',
      'hackernews:9002',
      'hackernews:9004',
    ]);
    expect(result.items.map((i) => [i.snippet, i.meta?.['domain'], i.meta?.['score'], i.meta?.['comments']])).toEqual([
      ['example3.com', 'example3.com', 480, 6],
      ['example1.com', 'example1.com', 500, 0],
      ['example5.com', 'example5.com', 460, 12],
      ['example2.com', 'example2.com', 490, 3],
      ['example4.com', 'example4.com', 470, 9],
    ]);
  });

  test('deleted, dead, missing and non-story entries are skipped without warnings', async () => {
    const server = await serve({
      stories: [
        { id: 1, type: 'story', title: 'Kept first', url: 'https://a.example/1', score: 10, descendants: 2 },
        { id: 2, type: 'story', deleted: true, time: SAMPLE_TIME },
        { id: 3, type: 'story', dead: true, title: 'Flagged', url: 'https://b.example/3', score: 1 },
        { id: 5, type: 'job', title: 'Acme is hiring', url: 'https://acme.example/jobs', score: 1 },
        { id: 6, type: 'comment', by: 'pg', text: 'A comment', time: SAMPLE_TIME },
        { id: 7, type: 'poll', title: 'Which editor?', score: 50, descendants: 30 },
        { id: 8, type: 'story', title: 'Kept last', url: 'javascript:alert(1)', score: 0 },
      ],
      // 4 does not exist: the API answers `null` for it.
      topStories: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    const result = await hackerNewsConnector.fetch(contextFor(server));
    expect(result.warnings).toEqual([]);
    expect(result.items.map((i) => [i.id, i.title, i.url, i.snippet, i.meta?.['score'], i.meta?.['comments']])).toEqual(
      [
        ['hackernews:1', 'Kept first', 'https://a.example/1', 'a.example', 10, 2],
        // Not an http(s) link, so the discussion page stands in; no comment count means 0.
        ['hackernews:8', 'Kept last', 'https://news.ycombinator.com/item?id=8', 'news.ycombinator.com', 0, 0],
      ],
    );
    expect(server.itemRequests()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('the snippet stays the same when only the score and comment count move', async () => {
    // The memory layer re-embeds an item whenever its text changes; counts that tick up every refresh must not.
    const link = { id: 31, type: 'story' as const, title: 'Link', url: 'https://www.blog.example/post', score: 5 };
    const ask = {
      id: 32,
      type: 'story' as const,
      title: 'Ask HN: Why?',
      text: '<p>Just <i>wondering</i></p>',
      score: 2,
    };
    const server = await serve({
      stories: [
        { ...link, descendants: 0 },
        { ...ask, descendants: 1 },
      ],
    });
    const before = (await hackerNewsConnector.fetch(contextFor(server))).items;
    server.options.stories = [
      { ...link, score: 250, descendants: 97 },
      { ...ask, score: 40, descendants: 12 },
    ];
    const after = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(before.map((i) => i.snippet)).toEqual(['blog.example', 'Just wondering']);
    expect(after.map((i) => i.snippet)).toEqual(before.map((i) => i.snippet));
    expect(after.map((i) => [i.meta?.['score'], i.meta?.['comments']])).toEqual([
      [250, 97],
      [40, 12],
    ]);
  });

  test('a text post whose text has no visible words falls back to the domain', async () => {
    const server = await serve({ stories: [{ id: 41, type: 'story', title: 'Ask HN: ?', text: '<p> </p>' }] });
    const [item] = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(item?.snippet).toBe('news.ycombinator.com');
  });

  test('terminal escapes, control and bidi characters are stripped from titles and authors', async () => {
    const server = await serve({
      stories: [
        {
          id: 51,
          type: 'story',
          title: '\u001b]52;c;ZXZpbA==\u0007Hello\u001b[2J world\u202E',
          by: 'mal\u0000lory\u009b31m',
          url: 'https://a.example/',
        },
      ],
    });
    const [item] = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(item?.title).toBe('Hello world');
    expect(item?.author).toBe('mallory');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(JSON.stringify(item)).not.toMatch(/\\u00[01][0-9a-f]|[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/i);
  });

  test('only the first maxStories items are fetched', async () => {
    const server = await serve({ stories: sampleStories(20) });
    const result = await hackerNewsConnector.fetch(contextFor(server, { maxStories: 4 }));
    expect(result.items.map((i) => i.id)).toEqual([
      'hackernews:9001',
      'hackernews:9002',
      'hackernews:9003',
      'hackernews:9004',
    ]);
    expect(server.itemRequests().sort()).toEqual([9001, 9002, 9003, 9004]);
  });

  test('an empty topstories list is an empty result, not an error', async () => {
    const server = await serve({ stories: [] });
    expect(await hackerNewsConnector.fetch(contextFor(server))).toEqual({ items: [], warnings: [] });
  });
});

describe('concurrency', () => {
  test('never more item requests in flight than the configured concurrency', async () => {
    const server = await serve({ stories: sampleStories(12), latencyMs: 40 });
    const result = await hackerNewsConnector.fetch(contextFor(server, { maxStories: 12, concurrency: 3 }));
    expect(result.items).toHaveLength(12);
    expect(server.maxInFlight).toBe(3);
    expect(server.inFlight).toBe(0);
  });

  test('the measurement is real: a higher bound lets more through at once', async () => {
    const server = await serve({ stories: sampleStories(12), latencyMs: 40 });
    await hackerNewsConnector.fetch(contextFor(server, { maxStories: 12, concurrency: 12 }));
    expect(server.maxInFlight).toBeGreaterThan(3);
  });
});

describe('failures', () => {
  test('HTTP 500 on topstories fails the source', async () => {
    const server = await serve({ stories: sampleStories(3), failTopStories: true });
    const error = await failure(hackerNewsConnector.fetch(contextFor(server)));
    expect(error.code).toBe('http_status');
    expect(error.message).toBe(`${new URL(server.baseUrl).host} answered HTTP 500`);
    expect(server.itemRequests()).toEqual([]);
  });

  test('a topstories body of the wrong shape fails the source clearly', async () => {
    const server = await serve({ stories: [], topStories: { error: 'nope' } as unknown as number[] });
    const error = await failure(hackerNewsConnector.fetch(contextFor(server)));
    expect(error.code).toBe('bad_response');
    expect(error.message).toBe('Hacker News sent an unexpected list of top stories');
  });

  test('a few failing items become one summarising warning', async () => {
    const server = await serve({ stories: sampleStories(6), failItems: [9002, 9005] });
    const result = await hackerNewsConnector.fetch(contextFor(server));
    expect(result.items.map((i) => i.id)).toEqual([
      'hackernews:9001',
      'hackernews:9003',
      'hackernews:9004',
      'hackernews:9006',
    ]);
    expect(result.warnings).toEqual([
      `2 of 6 stories could not be fetched (${new URL(server.baseUrl).host} answered HTTP 500)`,
    ]);
  });

  test('items with out-of-range fields are skipped and counted, the rest still arrive', async () => {
    const good = sampleStories(3);
    const bad: HnWireItem[] = [
      // new Date(1e23).toISOString() throws "Invalid time value": it must cost this story only.
      { id: 101, type: 'story', title: 'Far future', url: 'https://a.example/', time: 1e20 },
      { id: 102, type: 'story', title: 'Before HN existed', url: 'https://a.example/', time: -1 },
      { id: 103, type: 'story', title: 'Fractional time', url: 'https://a.example/', time: SAMPLE_TIME + 0.5 },
      { id: 104, type: 'story', title: 'Negative score', url: 'https://a.example/', score: -5 },
      { id: 105, type: 'story', title: 'Negative comments', url: 'https://a.example/', descendants: -1 },
      { id: 106, type: 'story', title: 'Fractional comments', url: 'https://a.example/', descendants: 2.5 },
      { id: 107, type: 'story', title: 'x'.repeat(301), url: 'https://a.example/' },
      { id: 108, type: 'story', title: 'Long author', by: 'u'.repeat(101), url: 'https://a.example/' },
    ];
    const server = await serve({ stories: [good[0], ...bad, good[1], good[2]].filter((s) => s !== undefined) });
    const result = await hackerNewsConnector.fetch(contextFor(server, { maxStories: 11 }));
    expect(result.items.map((i) => i.id)).toEqual(['hackernews:9001', 'hackernews:9002', 'hackernews:9003']);
    expect(result.warnings).toEqual([
      '8 of 11 stories could not be fetched (Hacker News sent an invalid time in item 101)',
    ]);
    // Nothing that JSON cannot carry (a NaN or negative count turning into null downstream).
    expect(JSON.parse(JSON.stringify(result.items))).toEqual(result.items);
  });

  test('fields exactly at their bounds are kept', async () => {
    const server = await serve({
      stories: [
        {
          id: 61,
          type: 'story',
          title: 't'.repeat(300),
          by: 'b'.repeat(100),
          time: Date.UTC(2006, 9, 9) / 1000,
          score: 0,
          descendants: 0,
          url: 'https://a.example/',
        },
      ],
    });
    const [item] = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(item).toMatchObject({
      title: 't'.repeat(300),
      author: 'b'.repeat(100),
      publishedAt: '2006-10-09T00:00:00.000Z',
      meta: { score: 0, comments: 0 },
    });
  });

  test('when every item is invalid the source fails as a whole', async () => {
    const server = await serve({ stories: sampleStories(2).map((s) => ({ ...s, score: -1 })) });
    const error = await failure(hackerNewsConnector.fetch(contextFor(server)));
    expect(error.code).toBe('source_failed');
    expect(error.hint).toBe('Hacker News sent an invalid score in item 9001');
  });

  test('when every item fails the source fails', async () => {
    const server = await serve({ stories: sampleStories(3), failItems: [9001, 9002, 9003] });
    const error = await failure(hackerNewsConnector.fetch(contextFor(server)));
    expect(error.code).toBe('source_failed');
    expect(error.message).toBe('none of the 3 Hacker News stories could be fetched');
    expect(error.hint).toBe(`${new URL(server.baseUrl).host} answered HTTP 500`);
  });

  test('a hanging topstories request times out after requestTimeoutMs', async () => {
    const server = await serve({ stories: sampleStories(3), hangTopStories: true });
    const error = await failure(hackerNewsConnector.fetch(contextFor(server, {}, { requestTimeoutMs: 150 })));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`${new URL(server.baseUrl).host} did not answer within 150 ms`);
  });

  test('a hanging item times out on its own and the rest still arrive', async () => {
    const server = await serve({ stories: sampleStories(4), hangItems: [9003] });
    const result = await hackerNewsConnector.fetch(contextFor(server, {}, { requestTimeoutMs: 150 }));
    expect(result.items.map((i) => i.id)).toEqual(['hackernews:9001', 'hackernews:9002', 'hackernews:9004']);
    expect(result.warnings).toEqual([
      `1 of 4 stories could not be fetched (${new URL(server.baseUrl).host} did not answer within 150 ms)`,
    ]);
  });

  test('a cancelled refresh reports cancellation, not failed stories', async () => {
    const server = await serve({ stories: sampleStories(4), hangItems: [9001, 9002, 9003, 9004] });
    const controller = new AbortController();
    const pending = hackerNewsConnector.fetch(contextFor(server, {}, { signal: controller.signal }));
    // Abort once the item requests are all waiting on the server.
    while (server.itemRequests().length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    expect(error.message).toBe('Hacker News fetch was cancelled');
  });
});
