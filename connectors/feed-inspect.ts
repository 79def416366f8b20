import type { AnyFeed } from 'feedsmith';
import { AppError } from '../core/errors.ts';
import { httpGet } from '../core/http.ts';
import type { FeedInspection } from '../core/types.ts';
import { parseDocument } from './feed-detect.ts';
import { feedLinks } from './feed-discover.ts';
import { describeFeed } from './feed-kind.ts';
import { decodeFeed, FEED_ACCEPT } from './rss.ts';
import { feedLabel, feedTitle } from './rss-parse.ts';

export interface InspectOptions {
  signal: AbortSignal;
  /** Each request's own limit (a web page and then its feed are two). */
  timeoutMs: number;
  maxBytes: number;
}

/**
 * Reads a feed once, as a refresh would (the same HTTP client, limits and parser), and says what it is: its
 * title, podcast, blog or news, and the brief's section for it. Given a web page instead, it follows the feed
 * link the page names (one hop). Anything that stops it is an AppError; `problem` puts it in words.
 */
export async function inspectFeed(url: string, options: InspectOptions): Promise<FeedInspection> {
  const page = await fetchText(url, options);
  let feedUrl = url;
  let parsed: AnyFeed;
  try {
    parsed = parseDocument(page, feedLabel({ url }));
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'feed_html') throw error;
    const [link] = feedLinks(page, url);
    if (!link) throw new AppError('feed_html', `${feedLabel({ url })}: is a web page that names no feed`);
    feedUrl = link;
    parsed = parseDocument(await fetchText(link, options), feedLabel({ url: link }));
  }
  const title = feedTitle(parsed, feedUrl);
  return { url: feedUrl, ...(title ? { title } : {}), ...describeFeed(parsed, feedUrl), entries: entriesOf(parsed) };
}

async function fetchText(url: string, options: InspectOptions): Promise<string> {
  const response = await httpGet({
    url,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    headers: { accept: FEED_ACCEPT },
  });
  if (response.status < 200 || response.status > 299) {
    throw new AppError('http_status', `${feedLabel({ url })}: HTTP ${response.status}`);
  }
  return decodeFeed(response.bytes, response.headers.get('content-type'));
}

function entriesOf(parsed: AnyFeed): number {
  switch (parsed.format) {
    case 'rss':
    case 'rdf':
      return parsed.feed.items?.length ?? 0;
    case 'atom':
      return parsed.feed.entries?.length ?? 0;
    case 'json':
      return parsed.feed.items?.length ?? 0;
  }
}

/** Why a feed could not be read, in one sentence for someone adding it (no codes, hosts or parser words). */
export function problem(error: unknown): string {
  const code = error instanceof AppError ? error.code : undefined;
  switch (code) {
    case 'timeout':
      return 'The site took too long to answer.';
    case 'network':
    case 'certificate':
      return 'Nothing answered at that address.';
    case 'http_status':
      return 'The site answered with an error instead of a feed.';
    case 'too_large':
      return 'That feed is too large to read.';
    case 'feed_html':
      return 'That web page names no feed: look on the site for its RSS or Atom link.';
    case 'feed_empty':
    case 'feed_not_xml':
    case 'feed_unrecognised':
    case 'feed_invalid':
      return 'There is no feed at that address.';
    default:
      return 'The feed could not be read.';
  }
}
