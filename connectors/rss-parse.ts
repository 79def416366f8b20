import { createHash } from 'node:crypto';
import type { AnyFeed, AtomFeed, JsonFeed, RdfFeed, RssFeed } from 'feedsmith';
import type { Item } from '../core/types.ts';
import { parseFeedDate } from './feed-dates.ts';
import { parseDocument } from './feed-detect.ts';
import { collapseWhitespace, htmlToPlainText, truncate } from './html-text.ts';

export { parseFeedDate } from './feed-dates.ts';

export const BODY_MAX = 20_000;
const TITLE_MAX = 300;
/** Used as the title of an entry that has a link but no title. */
const FALLBACK_TITLE_MAX = 120;
const AUTHOR_MAX = 120;
const TAG_MAX = 60;
const TAGS_MAX = 10;
/**
 * Raw entries considered per document, in document order. Each one is date-parsed and sorted; a feed of 35,000
 * entries would otherwise cost that much work for the few that are kept. Feeds list newest first almost always,
 * so the first ones are the ones that matter.
 */
export const ENTRIES_MAX = 2000;

export interface FeedDocumentOptions {
  /** The configured feed URL: part of every item id, and the base for relative links. */
  feedUrl: string;
  /** The configured name; wins over the feed's own title as the items' origin. */
  name?: string;
  category?: string;
  maxItems: number;
  snippetMax: number;
  bodyMax?: number;
}

/** How a feed is named in messages: its configured name, else host and path (host alone is ambiguous). */
export function feedLabel(feed: { url: string; name?: string }): string {
  if (feed.name) return feed.name;
  try {
    const url = new URL(feed.url);
    return truncate(url.host + (url.pathname === '/' ? '' : url.pathname), 80);
  } catch {
    return truncate(feed.url, 80);
  }
}

export function stableHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Parses an RSS 2.0, Atom, RDF (RSS 1.0) or JSON Feed document into items, newest first, at most `maxItems`.
 * A valid feed without entries gives `[]`; anything that is not a feed throws an AppError that names the feed.
 */
export function parseFeedDocument(text: string, options: FeedDocumentOptions): Item[] {
  const label = feedLabel({ url: options.feedUrl, name: options.name });
  const parsed = parseDocument(text, label);
  const channel = toChannel(parsed, options.feedUrl);
  return normalize(channel, options);
}

/** A parsed feed's own title, as plain text; undefined when it has none. */
export function feedTitle(parsed: AnyFeed, feedUrl: string): string | undefined {
  return toPlain(toChannel(parsed, feedUrl).title, TITLE_MAX) || undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The four formats, reduced to one shape

interface Text {
  value: string;
  /** Whether `value` is markup (HTML or XHTML) rather than literal text. */
  html: boolean;
}

interface Entry {
  /** The feed's own id for the entry: RSS guid, Atom id, RDF about, JSON id. */
  key: string | undefined;
  title: Text | undefined;
  /** Link candidates, best first; relative ones resolve against `base`. */
  hrefs: (string | undefined)[];
  base: string | undefined;
  summary: Text | undefined;
  content: Text | undefined;
  author: string | undefined;
  date: string | undefined;
  tags: Text[];
}

interface Channel {
  title: Text | undefined;
  entries: Entry[];
}

function toChannel(parsed: AnyFeed, feedUrl: string): Channel {
  switch (parsed.format) {
    case 'rss':
      return fromRss(parsed.feed, feedUrl);
    case 'atom':
      return fromAtom(parsed.feed, feedUrl);
    case 'rdf':
      return fromRdf(parsed.feed, feedUrl);
    case 'json':
      return fromJson(parsed.feed);
  }
}

function fromRss(feed: RssFeed.Feed<string>, feedUrl: string): Channel {
  const channelBase = resolveBase(feedUrl, feed.xml?.base);
  return {
    title: loose(feed.title),
    entries: capped(feed.items).map((item) => {
      const guid = item.guid?.value;
      // A guid is a permalink unless it says otherwise (RSS 2.0); only trust it as a link if it looks like one.
      const guidLink = guid && item.guid?.isPermaLink !== false && /^https?:\/\//i.test(guid) ? guid : undefined;
      return {
        key: guid,
        title: loose(item.title),
        hrefs: [item.link, guidLink, ...atomLinks(item.atom?.links)],
        base: resolveBase(channelBase, item.xml?.base),
        summary: markup(item.description),
        content: markup(item.content?.encoded),
        author: item.authors?.[0]?.name ?? item.dc?.creators?.[0] ?? item.authors?.[0]?.email,
        date: item.pubDate ?? item.dc?.dates?.[0] ?? item.atom?.published ?? item.atom?.updated,
        tags: [...(item.categories ?? []).map((c) => c.name), ...(item.dc?.subjects ?? [])].flatMap(looseList),
      };
    }),
  };
}

function fromAtom(feed: AtomFeed.Feed<string>, feedUrl: string): Channel {
  const feedBase = resolveBase(feedUrl, feed.xml?.base);
  const feedAuthor = feed.authors?.[0]?.name;
  return {
    title: atomText(feed.title),
    entries: capped(feed.entries).map((entry) => ({
      key: entry.id,
      title: atomText(entry.title),
      hrefs: atomLinks(entry.links),
      base: resolveBase(feedBase, entry.xml?.base),
      summary: atomText(entry.summary),
      content: atomText(entry.content),
      author: entry.authors?.[0]?.name ?? feedAuthor,
      date: entry.published ?? entry.updated ?? entry.dc?.dates?.[0],
      tags: (entry.categories ?? []).map((c) => c.label ?? c.term).flatMap(plainList),
    })),
  };
}

function fromRdf(feed: RdfFeed.Feed<string>, feedUrl: string): Channel {
  const channelBase = resolveBase(feedUrl, feed.xml?.base);
  return {
    title: loose(feed.title),
    entries: capped(feed.items).map((item) => ({
      key: item.rdf?.about ?? item.link,
      title: loose(item.title),
      hrefs: [item.link, item.rdf?.about],
      base: resolveBase(channelBase, item.xml?.base),
      summary: markup(item.description ?? item.dc?.descriptions?.[0]),
      content: markup(item.content?.encoded),
      author: item.dc?.creators?.[0],
      date: item.dc?.dates?.[0] ?? item.dcterms?.modified?.[0],
      tags: (item.dc?.subjects ?? []).flatMap(looseList),
    })),
  };
}

function fromJson(feed: JsonFeed.Feed<string>): Channel {
  // JSON Feed URLs are absolute by spec, and title/summary/content_text are plain text.
  return {
    title: plain(feed.title),
    entries: capped(feed.items).map((item) => ({
      key: item.id,
      title: plain(item.title),
      hrefs: [item.url, item.external_url],
      base: feed.feed_url ?? feed.home_page_url,
      summary: plain(item.summary),
      content: markup(item.content_html) ?? plain(item.content_text),
      author: item.authors?.[0]?.name ?? feed.authors?.[0]?.name,
      date: item.date_published ?? item.date_modified,
      tags: (item.tags ?? []).flatMap(plainList),
    })),
  };
}

function capped<T>(entries: T[] | undefined): T[] {
  return (entries ?? []).slice(0, ENTRIES_MAX);
}

function plain(value: string | undefined): Text | undefined {
  return value ? { value, html: false } : undefined;
}

function markup(value: string | undefined): Text | undefined {
  return value ? { value, html: true } : undefined;
}

function plainList(value: string | undefined): Text[] {
  return value ? [{ value, html: false }] : [];
}

function looseList(value: string | undefined): Text[] {
  const text = loose(value);
  return text ? [text] : [];
}

// Tags and entities that, in a text-only RSS field, mean someone escaped HTML into it. Anything else that looks
// like a tag is literal text ("Why <T> beats any"), which an HTML converter would silently delete.
const HTML_HINT =
  /<\/?(?:a|abbr|b|br|cite|code|del|em|font|i|img|ins|mark|p|q|s|small|span|strong|sub|sup|u)\b[^>]*>|&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i;

/** RSS titles and categories are nominally plain text but often carry escaped HTML; treat them as HTML only then. */
function loose(value: string | undefined): Text | undefined {
  return value ? { value, html: HTML_HINT.test(value) } : undefined;
}

/** Atom says per element whether it is text, html or xhtml (feedsmith hands xhtml over as markup). */
function atomText(text: AtomFeed.Text | AtomFeed.Content | undefined): Text | undefined {
  if (!text?.value) return undefined;
  const type = (text.type ?? 'text').toLowerCase();
  if (type === 'text' || type === 'text/plain') return { value: text.value, html: false };
  if (type === 'html' || type === 'xhtml' || type === 'text/html' || type.endsWith('+xml')) {
    return { value: text.value, html: true };
  }
  // Other media types (inline base64 images, PDFs...) are not text.
  return undefined;
}

/** Atom `rel="alternate"` (the default rel) first, HTML before other types; then anything but machine links. */
function atomLinks(links: AtomFeed.Link<string>[] | undefined): (string | undefined)[] {
  if (!links) return [];
  const alternates = links.filter((l) => (l.rel ?? 'alternate').toLowerCase() === 'alternate');
  const html = alternates.filter((l) => !l.type || /html/i.test(l.type));
  const others = links.filter((l) => !NON_PAGE_RELS.has((l.rel ?? 'alternate').toLowerCase()));
  return [...html, ...alternates, ...others].map((l) => l.href);
}

const NON_PAGE_RELS = new Set(['self', 'edit', 'edit-media', 'replies', 'hub', 'enclosure', 'license', 'payment']);

function resolveBase(parent: string | undefined, xmlBase: string | undefined): string | undefined {
  if (!xmlBase) return parent;
  try {
    return new URL(xmlBase.trim(), parent).href;
  } catch {
    return parent;
  }
}

/** Absolute http(s) URL or nothing: other schemes (javascript:, data:) must never reach a link in the UI. */
function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// To items

function toPlain(text: Text | undefined, max: number): string {
  if (!text) return '';
  return text.html ? htmlToPlainText(text.value, max) : truncate(collapseWhitespace(text.value), max);
}

function normalize(channel: Channel, options: FeedDocumentOptions): Item[] {
  const bodyMax = options.bodyMax ?? BODY_MAX;
  const origin = options.name ?? (toPlain(channel.title, TITLE_MAX) || hostOf(options.feedUrl));
  // Only dates are read before the cut: converting HTML to text is the expensive part, so only entries that can
  // still make it into the result are converted.
  const ordered = channel.entries.map((entry, index) => {
    const publishedAt = parseFeedDate(entry.date);
    return { entry, publishedAt, time: publishedAt ? Date.parse(publishedAt) : NaN, index };
  });
  // Newest first; undated entries keep their document order after the dated ones.
  ordered.sort((a, b) => {
    const aDated = !Number.isNaN(a.time);
    const bDated = !Number.isNaN(b.time);
    if (aDated && bDated && a.time !== b.time) return b.time - a.time;
    if (aDated !== bDated) return aDated ? -1 : 1;
    return a.index - b.index;
  });
  const seen = new Set<string>();
  const items: Item[] = [];
  for (const { entry, publishedAt } of ordered) {
    if (items.length >= options.maxItems) break;
    // A repeated feed id is known before any conversion; without one the id needs the link or title.
    const key = entry.key?.trim();
    if (key && seen.has(itemId(options.feedUrl, key))) continue;
    const item = toItem(entry, options, origin, bodyMax, publishedAt);
    if (!item || seen.has(item.id)) continue;
    seen.add(item.id);
    items.push(item);
  }
  return items;
}

function itemId(feedUrl: string, key: string): string {
  return `rss:${stableHash(feedUrl + key)}`;
}

function toItem(
  entry: Entry,
  options: FeedDocumentOptions,
  origin: string,
  bodyMax: number,
  publishedAt: string | undefined,
): Item | undefined {
  let url: string | undefined;
  for (const href of entry.hrefs) {
    url = resolveUrl(href, entry.base ?? options.feedUrl);
    if (url) break;
  }
  const title = toPlain(entry.title, TITLE_MAX);
  if (!title && !url) return undefined;
  const summary = toPlain(entry.summary, options.snippetMax);
  const snippet = summary || toPlain(entry.content, options.snippetMax);
  const body = toPlain(entry.content, bodyMax);
  const key = entry.key?.trim() || url || title;
  const author = entry.author ? truncate(collapseWhitespace(entry.author), AUTHOR_MAX) : '';
  const item: Item = {
    id: itemId(options.feedUrl, key),
    kind: 'news',
    source: 'rss',
    origin,
    title: title || truncate(snippet, FALLBACK_TITLE_MAX) || (url ?? ''),
    snippet,
    tags: uniqueTags(entry.tags),
    meta: { feedUrl: options.feedUrl },
  };
  if (body) item.body = body;
  if (url) item.url = url;
  if (author) item.author = author;
  if (publishedAt) item.publishedAt = publishedAt;
  if (options.category) item.category = options.category;
  return item;
}

function uniqueTags(tags: Text[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const tag of tags) {
    const text = toPlain(tag, TAG_MAX);
    const folded = text.toLowerCase();
    if (!text || seen.has(folded)) continue;
    seen.add(folded);
    result.push(text);
    if (result.length >= TAGS_MAX) break;
  }
  return result;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
