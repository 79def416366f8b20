import type { FeedRoute } from './feed-server.ts';

// Feed fixtures for tests and benchmarks. Text fields are escaped; HTML fields (description, content, summary) go in CDATA, as most
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
