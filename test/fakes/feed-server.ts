import type { ServerResponse } from 'node:http';
import { startServer, type LocalServer } from './server.ts';

/** How one feed URL answers. Everything is optional: the default is an empty 200. */
export interface FeedRoute {
  /** A string is sent as UTF-8; a Buffer is sent byte for byte (other encodings, byte order marks). */
  body?: string | Buffer;
  /** Default 200. */
  status?: number;
  /** Default `application/rss+xml; charset=utf-8`. */
  contentType?: string;
  /** Sent on every answer; a request whose If-None-Match matches it gets a 304. */
  etag?: string;
  /** Sent on every answer; a request with If-Modified-Since at or after it (and no If-None-Match) gets a 304. */
  lastModified?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering; `Infinity` never answers, until the client gives up or the server closes. */
  delayMs?: number;
  /**
   * Stream this many bytes instead of a fixed body: `body` first, then filler items, in 64 KiB chunks with
   * backpressure, so a 20 MB answer never sits in memory and stops as soon as the client hangs up.
   */
  streamBytes?: number;
  /** With `streamBytes`: declare Content-Length up front (default: chunked, so only reading it reveals the size). */
  declareLength?: boolean;
}

export interface FeedServer {
  baseUrl: string;
  /** The URL of a named route (whether or not it exists yet: unknown names answer 404). */
  url(name: string): string;
  /** The routes in use; add, replace or mutate them between requests. */
  routes: Record<string, FeedRoute>;
  /** Every request in arrival order, with its headers. */
  requests: LocalServer['requests'];
  /** The requests for one route. */
  requestsFor(name: string): LocalServer['requests'];
  /** Body bytes written for a route's most recent request (for streamed routes: before the client hung up). */
  bytesSent(name: string): number;
  /** Requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

const FEED_PREFIX = '/feeds/';
const CHUNK_BYTES = 64 * 1024;

export async function startFeedServer(routes: Record<string, FeedRoute> = {}): Promise<FeedServer> {
  const sent = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await startServer(async (req, res, url) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // 'close' fires once the answer is sent or the client gives up, so hanging requests count until aborted.
    res.on('close', () => {
      inFlight -= 1;
    });
    const name = url.pathname.startsWith(FEED_PREFIX) ? decodeURIComponent(url.pathname.slice(FEED_PREFIX.length)) : '';
    const route = fake.routes[name];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such feed');
      return;
    }
    if (route.delayMs) await waitOrClose(res, route.delayMs);
    if (res.destroyed) return;

    const validators: Record<string, string> = {};
    if (route.etag) validators.etag = route.etag;
    if (route.lastModified) validators['last-modified'] = route.lastModified;
    if (isNotModified(route, req.headers['if-none-match'], req.headers['if-modified-since'])) {
      res.writeHead(304, { ...validators, ...route.headers });
      res.end();
      sent.set(name, 0);
      return;
    }
    const headers = {
      'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8',
      ...validators,
      ...route.headers,
    };
    if (route.streamBytes !== undefined) {
      await streamBody(res, route, headers, (bytes) => sent.set(name, bytes));
      return;
    }
    const body = bodyBytes(route);
    res.writeHead(route.status ?? 200, { ...headers, 'content-length': String(body.byteLength) });
    res.end(body);
    sent.set(name, body.byteLength);
  });

  const url = (name: string) => `${server.baseUrl}${FEED_PREFIX}${encodeURIComponent(name)}`;
  const fake: FeedServer = {
    baseUrl: server.baseUrl,
    url,
    routes: { ...routes },
    requests: server.requests,
    requestsFor: (name) => server.requests.filter((r) => r.path === new URL(url(name)).pathname),
    bytesSent: (name) => sent.get(name) ?? 0,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () => server.close(),
  };
  return fake;
}

function bodyBytes(route: FeedRoute): Buffer {
  return typeof route.body === 'string' || route.body === undefined
    ? Buffer.from(route.body ?? '', 'utf8')
    : route.body;
}

function isNotModified(
  route: FeedRoute,
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
): boolean {
  // RFC 9110: when If-None-Match is present, If-Modified-Since is ignored.
  if (ifNoneMatch !== undefined) {
    if (!route.etag) return false;
    const wanted = stripWeak(route.etag);
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || stripWeak(tag.trim()) === wanted);
  }
  if (ifModifiedSince !== undefined && route.lastModified) {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(route.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

function waitOrClose(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    res.once('close', done);
  });
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

async function streamBody(
  res: ServerResponse,
  route: FeedRoute,
  headers: Record<string, string>,
  record: (bytes: number) => void,
): Promise<void> {
  const total = route.streamBytes ?? 0;
  const head = bodyBytes(route);
  const filler = Buffer.from(fillerItems(CHUNK_BYTES), 'utf8');
  res.writeHead(route.status ?? 200, route.declareLength ? { ...headers, 'content-length': String(total) } : headers);
  let bytes = 0;
  const write = async (chunk: Buffer) => {
    bytes += chunk.byteLength;
    record(bytes);
    if (!res.write(chunk)) await drainOrClose(res);
  };
  if (head.byteLength > 0) await write(head.subarray(0, total));
  while (bytes < total && !res.destroyed) {
    await write(filler.subarray(0, Math.min(filler.byteLength, total - bytes)));
  }
  if (!res.destroyed) res.end();
}

function fillerItems(bytes: number): string {
  const item = '<item><title>Filler</title><description>' + 'x'.repeat(200) + '</description></item>\n';
  return item.repeat(Math.ceil(bytes / item.length)).slice(0, bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture builders. Text fields are escaped; HTML fields (description, content, summary) go in CDATA, as most
// real feeds do. Tests that need particular raw XML (entities, odd markup) write it inline instead.

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function cdata(html: string): string {
  return `<![CDATA[${html.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function element(name: string, text: string | undefined): string {
  return text === undefined ? '' : `<${name}>${xmlEscape(text)}</${name}>`;
}

function htmlElement(name: string, html: string | undefined): string {
  return html === undefined ? '' : `<${name}>${cdata(html)}</${name}>`;
}

export interface RssItemFixture {
  title?: string;
  link?: string;
  guid?: string;
  /** Default: the guid is not a permalink, so tests control the link through `link` alone. */
  guidIsPermaLink?: boolean;
  /** HTML. */
  description?: string;
  /** HTML, as content:encoded. */
  content?: string;
  /** Raw pubDate text, e.g. "Tue, 10 Jun 2025 06:00:00 GMT" (so tests can send invalid ones). */
  pubDate?: string;
  categories?: string[];
  /** dc:creator. */
  author?: string;
}

export interface RssFeedFixture {
  title: string;
  link?: string;
  description?: string;
  items: RssItemFixture[];
}

export function rssFeed(feed: RssFeedFixture): string {
  const items = feed.items.map((item) => {
    const guid =
      item.guid === undefined
        ? ''
        : `<guid isPermaLink="${item.guidIsPermaLink ? 'true' : 'false'}">${xmlEscape(item.guid)}</guid>`;
    return [
      '<item>',
      element('title', item.title),
      element('link', item.link),
      guid,
      htmlElement('description', item.description),
      htmlElement('content:encoded', item.content),
      element('pubDate', item.pubDate),
      ...(item.categories ?? []).map((c) => element('category', c)),
      element('dc:creator', item.author),
      '</item>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    element('title', feed.title),
    element('link', feed.link ?? 'https://example.com/'),
    element('description', feed.description ?? `${feed.title} news`),
    ...items,
    '</channel>',
    '</rss>',
  ].join('\n');
}

export interface AtomEntryFixture {
  id: string;
  title: string;
  /** rel="alternate" href, possibly relative. */
  link?: string;
  /** ISO 8601. */
  updated: string;
  published?: string;
  /** HTML. */
  summary?: string;
  /** HTML. */
  content?: string;
  author?: string;
  categories?: string[];
}

export interface AtomFeedFixture {
  title: string;
  id?: string;
  /** xml:base on <feed>. */
  base?: string;
  updated?: string;
  entries: AtomEntryFixture[];
}

export function atomFeed(feed: AtomFeedFixture): string {
  const entries = feed.entries.map((entry) =>
    [
      '<entry>',
      element('id', entry.id),
      `<title type="text">${xmlEscape(entry.title)}</title>`,
      // A machine link first, so only rel-awareness picks the right one.
      `<link rel="self" href="${xmlEscape(`/api/entries/${encodeURIComponent(entry.id)}`)}"/>`,
      entry.link === undefined ? '' : `<link rel="alternate" type="text/html" href="${xmlEscape(entry.link)}"/>`,
      element('updated', entry.updated),
      element('published', entry.published),
      entry.summary === undefined ? '' : `<summary type="html">${cdata(entry.summary)}</summary>`,
      entry.content === undefined ? '' : `<content type="html">${cdata(entry.content)}</content>`,
      entry.author === undefined ? '' : `<author><name>${xmlEscape(entry.author)}</name></author>`,
      ...(entry.categories ?? []).map((c) => `<category term="${xmlEscape(c)}"/>`),
      '</entry>',
    ].join(''),
  );
  const base = feed.base === undefined ? '' : ` xml:base="${xmlEscape(feed.base)}"`;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom"${base}>`,
    `<title type="text">${xmlEscape(feed.title)}</title>`,
    element('id', feed.id ?? `urn:feed:${feed.title}`),
    element('updated', feed.updated ?? feed.entries[0]?.updated ?? '2025-06-10T00:00:00Z'),
    ...entries,
    '</feed>',
  ].join('\n');
}

/**
 * A feed of `count` items, one an hour back from `newest`, with links under `siteUrl`: for volume tests and
 * benchmarks.
 */
export function generatedRssFeed(options: { title: string; count: number; newest: string; siteUrl?: string }): string {
  const site = (options.siteUrl ?? 'https://example.com').replace(/\/+$/, '');
  const newest = Date.parse(options.newest);
  const slug = options.title.toLowerCase().replace(/[^a-z\d]+/g, '-');
  return rssFeed({
    title: options.title,
    link: `${site}/`,
    items: Array.from({ length: options.count }, (_, i) => ({
      title: `${options.title} story ${i + 1}`,
      link: `${site}/${slug}/${i + 1}`,
      guid: `${slug}-${i + 1}`,
      description: `<p>Summary of <b>${options.title}</b> story ${i + 1}.</p>`,
      content: `<p>Full text of ${options.title} story ${i + 1}.</p><p>Second paragraph.</p>`,
      pubDate: new Date(newest - i * 3_600_000).toUTCString(),
      categories: ['news'],
    })),
  });
}

/** The classic "billion laughs": ten levels of ten-fold entities, about 3 GB of "lol" if anyone expanded it. */
export function billionLaughsFeed(): string {
  const levels = ['<!ENTITY lol0 "lol">'];
  for (let level = 1; level <= 9; level += 1) {
    levels.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
  }
  return [
    '<?xml version="1.0"?>',
    `<!DOCTYPE rss [\n${levels.join('\n')}\n]>`,
    '<rss version="2.0"><channel><title>Laughs &lol9;</title><link>https://bomb.example/</link>',
    '<description>&lol9;</description>',
    '<item><title>Boom &lol9;</title><link>https://bomb.example/1</link><description>&lol9;</description></item>',
    '</channel></rss>',
  ].join('\n');
}

/** An external entity that, if a parser resolved it, would pull a local file into the feed text. */
export function externalEntityFeed(path = '/etc/passwd'): string {
  return [
    '<?xml version="1.0"?>',
    `<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://${path}"> ]>`,
    '<rss version="2.0"><channel><title>XXE</title><link>https://xxe.example/</link><description>d</description>',
    '<item><title>Leak &xxe;</title><link>https://xxe.example/1</link><description>before &xxe; after</description></item>',
    '</channel></rss>',
  ].join('\n');
}

/** A download cut off mid-element, the commonest real-world broken feed. */
export function malformedFeed(): string {
  const whole = rssFeed({
    title: 'Broken',
    items: [
      { title: 'First', link: 'https://broken.example/1' },
      { title: 'Second', link: 'https://broken.example/2' },
    ],
  });
  return whole.slice(0, whole.indexOf('<title>Second') + 12);
}

/** Valid, but every item's date is nonsense in a different way. */
export function invalidDatesFeed(): string {
  return rssFeed({
    title: 'Bad Dates',
    items: [
      { title: 'No date at all', link: 'https://dates.example/1', pubDate: 'garbage 2' },
      { title: 'Thirty-first of February', link: 'https://dates.example/2', pubDate: 'Sat, 31 Feb 2025 10:00:00 GMT' },
      { title: 'Hour 25', link: 'https://dates.example/3', pubDate: 'Tue, 10 Jun 2025 25:61:00 GMT' },
      { title: 'Empty date', link: 'https://dates.example/4', pubDate: '' },
    ],
  });
}

/** A valid channel with no items. */
export function emptyFeed(): string {
  return rssFeed({ title: 'Quiet', items: [] });
}

export function htmlPage(): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><title>Example News</title>',
    '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>',
    '<body><h1>Example News</h1><p>Welcome! Our feed lives elsewhere.</p></body></html>',
  ].join('\n');
}

export const HUGE_BYTES = 20 * 1024 * 1024;

/** Every way a feed can go wrong, by route name, plus two valid but odd feeds (`bad-dates`, `empty-feed`). */
export function faultRoutes(): Record<string, FeedRoute> {
  const xml = 'application/rss+xml; charset=utf-8';
  return {
    'http-500': { status: 500, contentType: 'text/plain', body: 'internal error' },
    slow: { delayMs: Infinity, body: emptyFeed() },
    malformed: { body: malformedFeed(), contentType: xml },
    huge: {
      streamBytes: HUGE_BYTES,
      body: '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Huge</title>\n',
      contentType: xml,
    },
    bomb: { body: billionLaughsFeed(), contentType: xml },
    'external-entity': { body: externalEntityFeed(), contentType: xml },
    'bad-dates': { body: invalidDatesFeed(), contentType: xml },
    'empty-feed': { body: emptyFeed(), contentType: xml },
    'empty-body': { body: '', contentType: xml },
    'html-page': { body: htmlPage(), contentType: 'text/html; charset=utf-8' },
  };
}
