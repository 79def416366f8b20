import type { AnyFeed } from 'feedsmith';
import { AppError } from '../core/errors.ts';
import { httpGet } from '../core/http.ts';
import type { FeedInspection } from '../core/types.ts';
import { parseDocument } from './feed-detect.ts';
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
 * title, podcast, blog or news, and the brief's section for it. Anything that stops it is an AppError; `problem`
 * turns it into words for the person adding the feed.
 */
export async function inspectFeed(url: string, options: InspectOptions): Promise<FeedInspection> {
  const parsed = await readFeed(url, options);
  const title = feedTitle(parsed, url);
  return { url, ...(title ? { title } : {}), ...describeFeed(parsed, url), entries: entriesOf(parsed) };
}

async function readFeed(url: string, options: InspectOptions): Promise<AnyFeed> {
  const response = await httpGet({
    url,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    headers: { accept: FEED_ACCEPT },
  });
  const label = feedLabel({ url });
  if (response.status < 200 || response.status > 299) {
    throw new AppError('http_status', `${label}: HTTP ${response.status}`);
  }
  return parseDocument(decodeFeed(response.bytes, response.headers.get('content-type')), label);
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
      return 'That is a web page, not a feed: look on the site for its RSS or Atom link.';
    case 'feed_empty':
    case 'feed_not_xml':
    case 'feed_unrecognised':
    case 'feed_invalid':
      return 'There is no feed at that address.';
    default:
      return 'The feed could not be read.';
  }
}
