import { afterEach, describe, expect, test } from 'vitest';
import { hackerNewsConnector } from '../../connectors/hackernews.ts';
import type { ConnectorCache, ConnectorContext } from '../../connectors/types.ts';
import { fixedClock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { parseSettings } from '../../core/settings.ts';
import { SNIPPET_MAX } from '../../core/types.ts';
import { SAMPLE_TIME, sampleStories, startHnServer, type HnServer, type HnServerOptions } from '../fakes/hn-server.ts';

const servers: HnServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: HnServerOptions): Promise<HnServer> {
  const server = await startHnServer(options);
  servers.push(server);
  return server;
}

function memoryCache(): ConnectorCache {
  const values = new Map<string, unknown>();
  return {
    getResponse: () => undefined,
    putResponse: () => undefined,
    getValue: (key: string) => values.get(key),
    putValue: (key, value) => values.set(key, value),
  };
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

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
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
          snippet: '111 points · 71 comments',
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
    expect(item?.snippet).toBe('1 point · 1 comment — or HN: the Next Iteration I\'m not sure "fix" & this work.');
    expect(item?.publishedAt).toBe('2024-01-15T06:00:00.000Z');
    expect(item?.meta).toEqual({
      score: 1,
      comments: 1,
      hnUrl: 'https://news.ycombinator.com/item?id=121003',
      domain: 'news.ycombinator.com',
    });
  });

  test('a long text post is cut so the whole snippet fits SNIPPET_MAX', async () => {
    const paragraph = `<p>${'lorem ipsum dolor sit amet '.repeat(40)}</p>`;
    const server = await serve({
      stories: [
        { id: 77, type: 'story', title: 'Ask HN: Long?', text: paragraph.repeat(10), score: 3, descendants: 0 },
      ],
    });
    const [item] = (await hackerNewsConnector.fetch(contextFor(server))).items;
    expect(item?.snippet.length).toBeLessThanOrEqual(SNIPPET_MAX);
    expect(item?.snippet.length).toBeGreaterThan(SNIPPET_MAX - 20);
    expect(item?.snippet.startsWith('3 points · 0 comments — lorem ipsum dolor sit amet lorem')).toBe(true);
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
    expect(result.items.map((i) => i.snippet)).toEqual([
      '480 points · 6 comments',
      '500 points · 0 comments',
      '460 points · 12 comments',
      '490 points · 3 comments',
      '470 points · 9 comments',
    ]);
    expect(result.items.map((i) => i.meta?.['domain'])).toEqual([
      'example3.com',
      'example1.com',
      'example5.com',
      'example2.com',
      'example4.com',
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
    expect(result.items.map((i) => [i.id, i.title, i.url, i.snippet])).toEqual([
      ['hackernews:1', 'Kept first', 'https://a.example/1', '10 points · 2 comments'],
      // Not an http(s) link, so the discussion page stands in; no comment count means 0.
      ['hackernews:8', 'Kept last', 'https://news.ycombinator.com/item?id=8', '0 points · 0 comments'],
    ]);
    expect(server.itemRequests()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
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
