import { afterEach, describe, expect, test } from 'vitest';
import { rssConnector } from '../../connectors/rss.ts';
import type { ConnectorCache, ConnectorContext } from '../../connectors/types.ts';
import { systemClock } from '../../core/clock.ts';
import { parseSettings, type FeedSettings } from '../../core/settings.ts';
import type { Item } from '../../core/types.ts';
import {
  HUGE_BYTES,
  atomFeed,
  faultRoutes,
  htmlPage,
  rssFeed,
  startFeedServer,
  type FeedRoute,
  type FeedServer,
} from '../fakes/feed-server.ts';
import { failure, memoryCache } from '../helpers/connector-cache.ts';

const MAX_BYTES = 1024 * 1024;

const servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(routes: Record<string, FeedRoute>): Promise<FeedServer> {
  const server = await startFeedServer(routes);
  servers.push(server);
  return server;
}

function contextFor(
  feeds: FeedSettings[],
  extra: { requestTimeoutMs?: number; signal?: AbortSignal; cache?: ConnectorCache; maxItemsPerFeed?: number } = {},
): ConnectorContext {
  return {
    settings: parseSettings({
      sources: { rss: { feeds, maxItemsPerFeed: extra.maxItemsPerFeed ?? 20 } },
      refresh: { maxResponseBytes: MAX_BYTES },
    }),
    signal: extra.signal ?? new AbortController().signal,
    clock: systemClock,
    cache: extra.cache ?? memoryCache(),
    requestTimeoutMs: extra.requestTimeoutMs ?? 2000,
  };
}

const techFeed = rssFeed({
  title: 'Tech Daily Feed',
  link: 'https://tech.example/',
  items: [
    {
      title: 'Chips get faster',
      link: '/tech/chips',
      guid: 'tech-1',
      description: '<p>Faster <b>chips</b> &amp; more</p>',
      pubDate: 'Tue, 10 Jun 2025 06:00:00 GMT',
      categories: ['Hardware'],
    },
    {
      title: 'Old news',
      link: 'https://tech.example/old',
      guid: 'tech-0',
      pubDate: 'Mon, 09 Jun 2025 06:00:00 GMT',
    },
    {
      title: 'Browsers ship features',
      link: 'https://tech.example/browsers',
      guid: 'tech-2',
      pubDate: 'Tue, 10 Jun 2025 07:15:00 +0100',
    },
  ],
});

const worldFeed = atomFeed({
  title: 'World Wire',
  entries: [
    {
      id: 'urn:w1',
      title: 'Summit ends',
      link: 'stories/summit',
      updated: '2025-06-10T05:00:00Z',
      summary: '<p>Leaders <i>agree</i>.</p>',
    },
  ],
});

const marketsFeed = rssFeed({
  title: 'Markets',
  items: [{ title: 'Stocks up', link: 'https://markets.example/up', pubDate: 'Tue, 10 Jun 2025 04:00:00 GMT' }],
});

const goodRoutes = (): Record<string, FeedRoute> => ({
  tech: { body: techFeed },
  world: { body: worldFeed, contentType: 'application/atom+xml' },
  markets: { body: marketsFeed },
});

function goodFeeds(server: FeedServer): FeedSettings[] {
  return [
    { url: server.url('tech'), name: 'Tech Daily', category: 'tech' },
    { url: server.url('world') },
    { url: server.url('markets'), name: 'Markets', category: 'market' },
  ];
}

function titlesFrom(items: Item[], feedUrl: string): string[] {
  return items.filter((i) => i.meta?.feedUrl === feedUrl).map((i) => i.title);
}

test('connector identity and enabled()', () => {
  expect(rssConnector.id).toBe('rss');
  expect(rssConnector.label).toBe('News feeds (RSS/Atom)');
  expect(rssConnector.kinds).toEqual(['news']);
  expect(rssConnector.enabled(parseSettings({}))).toBe(true);
  expect(rssConnector.enabled(parseSettings({ sources: { rss: { feeds: [] } } }))).toBe(false);
  expect(rssConnector.enabled(parseSettings({ sources: { rss: { enabled: false } } }))).toBe(false);
});

test('good feeds are normalized from the wire', async () => {
  const server = await serve(goodRoutes());
  const { items, warnings } = await rssConnector.fetch(contextFor(goodFeeds(server)));
  expect(warnings).toEqual([]);
  expect(items.map((i) => [i.origin, i.title, i.url, i.publishedAt])).toEqual([
    ['Tech Daily', 'Browsers ship features', 'https://tech.example/browsers', '2025-06-10T06:15:00.000Z'],
    ['Tech Daily', 'Chips get faster', `${server.baseUrl}/tech/chips`, '2025-06-10T06:00:00.000Z'],
    ['Tech Daily', 'Old news', 'https://tech.example/old', '2025-06-09T06:00:00.000Z'],
    ['World Wire', 'Summit ends', `${server.baseUrl}/feeds/stories/summit`, '2025-06-10T05:00:00.000Z'],
    ['Markets', 'Stocks up', 'https://markets.example/up', '2025-06-10T04:00:00.000Z'],
  ]);
  expect(items[1]).toMatchObject({
    kind: 'news',
    source: 'rss',
    category: 'tech',
    snippet: 'Faster chips & more',
    tags: ['Hardware'],
    meta: { feedUrl: server.url('tech') },
  });
  expect(items[3]).toMatchObject({ snippet: 'Leaders agree.' });
  expect(items[3]?.category).toBeUndefined();
  expect(items[4]?.category).toBe('market');
});

test('maxItemsPerFeed caps each feed, keeping its newest', async () => {
  const server = await serve(goodRoutes());
  const { items } = await rssConnector.fetch(contextFor(goodFeeds(server), { maxItemsPerFeed: 1 }));
  expect(items.map((i) => i.title)).toEqual(['Browsers ship features', 'Summit ends', 'Stocks up']);
});

describe('faults', () => {
  test('every fault feed alongside good ones: good items survive, one warning per bad feed', async () => {
    const server = await serve({ ...goodRoutes(), ...faultRoutes() });
    const host = new URL(server.baseUrl).host;
    const faults = [
      'http-500',
      'slow',
      'malformed',
      'huge',
      'bomb',
      'external-entity',
      'bad-dates',
      'empty-feed',
      'empty-body',
      'html-page',
    ];
    const feeds = [...goodFeeds(server), ...faults.map((name) => ({ url: server.url(name), name }))];
    const { items, warnings } = await rssConnector.fetch(contextFor(feeds, { requestTimeoutMs: 300 }));

    expect(warnings).toEqual([
      'http-500: HTTP 500',
      `slow: ${host} did not answer within 300 ms`,
      'malformed: is not valid XML (it ends without a closing </rss> tag)',
      `huge: ${host} sent more than 1 MB`,
      'empty-body: is empty',
      'html-page: is an HTML page, not a feed',
    ]);
    expect(titlesFrom(items, server.url('tech'))).toEqual(['Browsers ship features', 'Chips get faster', 'Old news']);
    expect(titlesFrom(items, server.url('world'))).toEqual(['Summit ends']);
    expect(titlesFrom(items, server.url('markets'))).toEqual(['Stocks up']);
    // The hostile-but-valid feeds parse, inertly.
    expect(titlesFrom(items, server.url('bomb'))).toEqual(['Boom &lol9;']);
    expect(titlesFrom(items, server.url('external-entity'))).toEqual(['Leak &xxe;']);
    expect(JSON.stringify(items)).not.toMatch(/lollol|root:/);
    // Nonsense dates are dropped, not fatal.
    const badDates = items.filter((i) => i.meta?.feedUrl === server.url('bad-dates'));
    expect(badDates.map((i) => [i.title, i.publishedAt])).toEqual([
      ['No date at all', undefined],
      ['Thirty-first of February', undefined],
      ['Hour 25', undefined],
      ['Empty date', undefined],
    ]);
    expect(titlesFrom(items, server.url('empty-feed'))).toEqual([]);
    expect(items).toHaveLength(3 + 1 + 1 + 1 + 1 + 4);
  });

  test('a 20 MB body is abandoned at the size limit, whether declared or streamed', async () => {
    const routes = faultRoutes();
    const server = await serve({
      ...goodRoutes(),
      huge: routes.huge ?? {},
      'huge-declared': { ...routes.huge, declareLength: true },
    });
    const host = new URL(server.baseUrl).host;
    const feeds = [
      { url: server.url('tech'), name: 'Tech Daily' },
      { url: server.url('huge'), name: 'Huge' },
      { url: server.url('huge-declared'), name: 'Huge declared' },
    ];
    const { items, warnings } = await rssConnector.fetch(contextFor(feeds));
    expect(warnings).toEqual([`Huge: ${host} sent more than 1 MB`, `Huge declared: ${host} sent more than 1 MB`]);
    expect(items.map((i) => i.title)).toEqual(['Browsers ship features', 'Chips get faster', 'Old news']);
    // The client hung up long before the server could send it all.
    await expect.poll(() => server.inFlight).toBe(0);
    expect(server.bytesSent('huge')).toBeGreaterThan(MAX_BYTES);
    expect(server.bytesSent('huge')).toBeLessThan(HUGE_BYTES / 2);
    expect(server.bytesSent('huge-declared')).toBeLessThan(HUGE_BYTES / 2);
  });

  test('a feed that never answers times out; the others are unaffected', async () => {
    const server = await serve({ ...goodRoutes(), slow: faultRoutes().slow ?? {} });
    const host = new URL(server.baseUrl).host;
    const feeds = [...goodFeeds(server), { url: server.url('slow') }];
    const { items, warnings } = await rssConnector.fetch(contextFor(feeds, { requestTimeoutMs: 300 }));
    // Unnamed: labelled by host and path, without repeating the host.
    expect(warnings).toEqual([`${host}/feeds/slow: did not answer within 300 ms`]);
    expect(items).toHaveLength(5);
  });

  test('when every feed fails the source fails, summarising each', async () => {
    const server = await serve(faultRoutes());
    const feeds = [
      { url: server.url('http-500'), name: 'Five Hundred' },
      { url: server.url('html-page'), name: 'Homepage' },
      { url: server.url('missing') },
    ];
    const error = await failure(rssConnector.fetch(contextFor(feeds)));
    expect(error.code).toBe('source_failed');
    expect(error.message).toBe(
      `all 3 feeds failed: Five Hundred: HTTP 500; Homepage: is an HTML page, not a feed; ${new URL(server.baseUrl).host}/feeds/missing: HTTP 404`,
    );
  });

  test('a cancelled refresh reads as cancelled', async () => {
    const server = await serve({ slow: faultRoutes().slow ?? {} });
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    const error = await failure(
      rssConnector.fetch(
        contextFor([{ url: server.url('slow') }], { signal: controller.signal, requestTimeoutMs: 5000 }),
      ),
    );
    expect(error.code).toBe('aborted');
  });
});

test('feeds are fetched in parallel, at most six at once', async () => {
  const routes: Record<string, FeedRoute> = {};
  const feeds: FeedSettings[] = [];
  const server = await serve(routes);
  for (let i = 0; i < 10; i += 1) {
    server.routes[`f${i}`] = {
      delayMs: 100,
      body: rssFeed({ title: `F${i}`, items: [{ title: `Story ${i}`, link: `https://f.example/${i}` }] }),
    };
    feeds.push({ url: server.url(`f${i}`), name: `F${i}` });
  }
  const { items, warnings } = await rssConnector.fetch(contextFor(feeds));
  expect(warnings).toEqual([]);
  expect(items.map((i) => i.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Story ${i}`));
  expect(server.maxInFlight).toBe(6);
});

describe('conditional GET', () => {
  const v1 = rssFeed({ title: 'Cond', items: [{ title: 'Version one', link: 'https://c.example/1' }] });
  const v2 = rssFeed({ title: 'Cond', items: [{ title: 'Version two', link: 'https://c.example/2' }] });
  const lastModified = 'Tue, 10 Jun 2025 05:00:00 GMT';

  test('sends the validators, takes a 304 and re-reads the cached body; a new version replaces it', async () => {
    const server = await serve({ cond: { body: v1, etag: '"v1"', lastModified } });
    const cache = memoryCache();
    const feeds = [{ url: server.url('cond'), name: 'Cond' }];

    const first = await rssConnector.fetch(contextFor(feeds, { cache }));
    expect(first.items.map((i) => i.title)).toEqual(['Version one']);
    expect(server.requestsFor('cond')[0]?.headers['if-none-match']).toBeUndefined();
    const stored = cache.responses.get(server.url('cond'));
    expect(stored).toMatchObject({ url: server.url('cond'), etag: '"v1"', lastModified, body: v1 });
    expect(Number.isNaN(Date.parse(stored?.fetchedAt ?? ''))).toBe(false);

    // The server now has a different body under the same validator: only a 304 explains getting v1 back.
    server.routes.cond = { body: v2, etag: '"v1"', lastModified };
    const second = await rssConnector.fetch(contextFor(feeds, { cache }));
    const revalidation = server.requestsFor('cond')[1];
    expect(revalidation?.headers['if-none-match']).toBe('"v1"');
    expect(revalidation?.headers['if-modified-since']).toBe(lastModified);
    expect(server.bytesSent('cond')).toBe(0);
    expect(second).toEqual(first);

    server.routes.cond = { body: v2, etag: '"v2"', lastModified: 'Tue, 10 Jun 2025 06:00:00 GMT' };
    const third = await rssConnector.fetch(contextFor(feeds, { cache }));
    expect(third.items.map((i) => i.title)).toEqual(['Version two']);
    expect(cache.responses.get(server.url('cond'))).toMatchObject({ etag: '"v2"', body: v2 });
  });

  test('Last-Modified alone is enough for a 304', async () => {
    const server = await serve({ dated: { body: v1, lastModified } });
    const cache = memoryCache();
    const feeds = [{ url: server.url('dated'), name: 'Dated' }];
    await rssConnector.fetch(contextFor(feeds, { cache }));
    server.routes.dated = { body: v2, lastModified };
    const second = await rssConnector.fetch(contextFor(feeds, { cache }));
    expect(server.requestsFor('dated')[1]?.headers['if-modified-since']).toBe(lastModified);
    expect(server.requestsFor('dated')[1]?.headers['if-none-match']).toBeUndefined();
    expect(second.items.map((i) => i.title)).toEqual(['Version one']);
  });

  test('a broken answer does not replace the last good body', async () => {
    const server = await serve({ cond: { body: v1, etag: '"v1"' } });
    const cache = memoryCache();
    const feeds = [{ url: server.url('cond'), name: 'Cond' }];
    await rssConnector.fetch(contextFor(feeds, { cache }));
    server.routes.cond = { body: htmlPage(), contentType: 'text/html', etag: '"oops"' };
    const error = await failure(rssConnector.fetch(contextFor(feeds, { cache })));
    expect(error.message).toBe('the only feed failed: Cond: is an HTML page, not a feed');
    expect(cache.responses.get(server.url('cond'))).toMatchObject({ etag: '"v1"', body: v1 });
  });
});

describe('character encodings', () => {
  /** A feed whose XML declaration names `encoding` (or has none), with the given item titles. */
  function feedText(encoding: string | undefined, titles: string[]): string {
    const xml = rssFeed({
      title: 'Encoded',
      items: titles.map((title, i) => ({ title, link: `https://enc.example/${i}`, description: `<p>${title}</p>` })),
    });
    const declaration = encoding === undefined ? '' : `<?xml version="1.0" encoding="${encoding}"?>`;
    return xml.replace('<?xml version="1.0" encoding="UTF-8"?>', declaration);
  }

  /** windows-1252 bytes for text using only ASCII and the few non-ASCII characters listed here. */
  function windows1252(text: string): Buffer {
    const extra: Record<string, number> = { '€': 0x80, '“': 0x93, '”': 0x94, '—': 0x97, é: 0xe9 };
    return Buffer.from(
      Array.from(text, (c) => {
        const code = c.charCodeAt(0);
        const byte = code < 0x80 ? code : extra[c];
        if (byte === undefined) throw new Error(`no windows-1252 byte for ${c}`);
        return byte;
      }),
    );
  }

  async function fetchOne(route: FeedRoute, cache = memoryCache()) {
    const server = await serve({ enc: route });
    const result = await rssConnector.fetch(contextFor([{ url: server.url('enc'), name: 'Enc' }], { cache }));
    return { server, result, cached: cache.responses.get(server.url('enc')), cache };
  }

  test('ISO-8859-1 declared only in the XML declaration; the cache keeps the decoded text for a 304', async () => {
    const bytes = Buffer.from(feedText('ISO-8859-1', ['Café crème', 'Ça coûte 5 £']), 'latin1');
    expect(bytes.includes(Buffer.from('Café', 'utf8'))).toBe(false);
    const route: FeedRoute = { body: bytes, contentType: 'application/rss+xml', etag: '"l1"' };
    const { server, result, cached, cache } = await fetchOne(route);
    expect(result.warnings).toEqual([]);
    expect(result.items.map((i) => [i.title, i.snippet])).toEqual([
      ['Café crème', 'Café crème'],
      ['Ça coûte 5 £', 'Ça coûte 5 £'],
    ]);
    expect(cached?.body).toContain('<title>Café crème</title>');

    const again = await rssConnector.fetch(contextFor([{ url: server.url('enc'), name: 'Enc' }], { cache }));
    expect(server.requestsFor('enc')[1]?.headers['if-none-match']).toBe('"l1"');
    expect(server.bytesSent('enc')).toBe(0);
    expect(again.items.map((i) => i.title)).toEqual(['Café crème', 'Ça coûte 5 £']);
  });

  test('the Content-Type charset (windows-1252) wins over the XML declaration', async () => {
    const bytes = windows1252(feedText('UTF-8', ['“Euro” — €5 café']));
    const { result, cached } = await fetchOne({ body: bytes, contentType: 'text/xml; charset=windows-1252' });
    expect(result.items.map((i) => i.title)).toEqual(['“Euro” — €5 café']);
    expect(cached?.body).toContain('“Euro” — €5 café');
  });

  test('an unknown charset label in the header is skipped in favour of the declaration', async () => {
    const bytes = Buffer.from(feedText('iso-8859-1', ['Crème brûlée']), 'latin1');
    const { result } = await fetchOne({ body: bytes, contentType: 'application/rss+xml; charset=x-no-such-thing' });
    expect(result.items.map((i) => i.title)).toEqual(['Crème brûlée']);
  });

  test('UTF-16 with a byte order mark, in either byte order, even under a wrong header charset', async () => {
    const text = '\uFEFF' + feedText('UTF-16', ['Grüße aus 日本 🎌']);
    const little = Buffer.from(text, 'utf16le');
    const big = Buffer.from(text, 'utf16le').swap16();
    expect(big.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    const server = await serve({
      le: { body: little, contentType: 'application/rss+xml' },
      be: { body: big, contentType: 'application/rss+xml; charset=utf-8' },
    });
    const feeds = [
      { url: server.url('le'), name: 'LE' },
      { url: server.url('be'), name: 'BE' },
    ];
    const cache = memoryCache();
    const { items, warnings } = await rssConnector.fetch(contextFor(feeds, { cache }));
    expect(warnings).toEqual([]);
    expect(items.map((i) => [i.origin, i.title])).toEqual([
      ['LE', 'Grüße aus 日本 🎌'],
      // Same story from two feeds: different ids, so both stay.
      ['BE', 'Grüße aus 日本 🎌'],
    ]);
    // Stored as text, without the byte order mark.
    expect(cache.responses.get(server.url('be'))?.body).toMatch(/^<\?xml version="1.0" encoding="UTF-16"\?>\n<rss /);
  });
});
