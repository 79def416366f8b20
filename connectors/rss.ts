import pLimit from 'p-limit';
import { AppError, describeError } from '../core/errors.ts';
import { httpGet, safeHost } from '../core/http.ts';
import type { FeedSettings, Settings } from '../core/settings.ts';
import { SNIPPET_MAX, type Item } from '../core/types.ts';
import { feedLabel, parseFeedDocument } from './rss-parse.ts';
import type { CachedResponse, Connector, ConnectorContext, ConnectorResult } from './types.ts';

/** Feed formats first; anything else too, as servers label feeds every way there is. */
export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';

/** Feeds fetched at once: enough to hide latency, few enough not to look like a flood to one host. */
const FEED_CONCURRENCY = 6;

export const rssConnector: Connector = {
  id: 'rss',
  label: 'News feeds (RSS/Atom)',
  kinds: ['news'],
  enabled: (settings: Settings) => settings.sources.rss.enabled && settings.sources.rss.feeds.length > 0,
  fetch: fetchFeeds,
};

async function fetchFeeds(context: ConnectorContext): Promise<ConnectorResult> {
  const { feeds } = context.settings.sources.rss;
  if (feeds.length === 0) return { items: [], warnings: [] };
  const limit = pLimit(FEED_CONCURRENCY);
  const settled = await Promise.allSettled(feeds.map((feed) => limit(() => fetchFeed(feed, context))));
  // A cancelled refresh must read as cancelled, not as "all 4 feeds failed".
  if (context.signal.aborted) {
    throw new AppError('aborted', 'RSS fetch was cancelled', { cause: context.signal.reason });
  }

  const items: Item[] = [];
  const seen = new Set<string>();
  const warnings: string[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'rejected') {
      warnings.push(failureLine(feeds[index], outcome.reason));
      return;
    }
    for (const item of outcome.value) {
      // The same feed listed twice (or under two names) must not double its stories.
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      items.push(item);
    }
  });

  if (warnings.length === feeds.length) {
    const summary = feeds.length === 1 ? 'the only feed failed' : `all ${feeds.length} feeds failed`;
    throw new AppError('source_failed', `${summary}: ${warnings.join('; ')}`, {
      hint: 'Check the feed URLs in settings (sources.rss.feeds)',
      cause: settled.find((s) => s.status === 'rejected')?.reason,
    });
  }
  return { items, warnings };
}

async function fetchFeed(feed: FeedSettings, context: ConnectorContext): Promise<Item[]> {
  const label = feedLabel(feed);
  const cached = context.cache.getResponse(feed.url);
  const headers: Record<string, string> = { accept: FEED_ACCEPT };
  if (cached?.etag) headers['if-none-match'] = cached.etag;
  if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;

  const response = await httpGet({
    url: feed.url,
    signal: context.signal,
    timeoutMs: context.requestTimeoutMs,
    maxBytes: context.settings.refresh.maxResponseBytes,
    headers,
  });
  const parse = (body: string) =>
    parseFeedDocument(body, {
      feedUrl: feed.url,
      name: feed.name,
      category: feed.category,
      maxItems: context.settings.sources.rss.maxItemsPerFeed,
      snippetMax: SNIPPET_MAX,
    });

  if (response.status === 304) {
    if (!cached) throw new AppError('http_status', `${label}: answered 304 Not Modified to an unconditional request`);
    const items = parse(cached.body);
    // Revalidated: the cached body is current as of now; servers may also rotate validators on a 304.
    remember(context, {
      ...cached,
      etag: response.headers.get('etag') ?? cached.etag,
      lastModified: response.headers.get('last-modified') ?? cached.lastModified,
      fetchedAt: context.clock.now().toISOString(),
    });
    return items;
  }
  if (response.status < 200 || response.status > 299) {
    throw new AppError('http_status', `${label}: HTTP ${response.status}`);
  }
  // httpGet decodes by the Content-Type charset alone, but feeds usually declare their encoding in the document.
  const body = decodeFeed(response.bytes, response.headers.get('content-type'));
  // Parse before caching, so a broken answer never replaces the last good body and its validators.
  const items = parse(body);
  // The cache holds text: store it decoded, so a 304 later re-reads the same characters.
  const entry: CachedResponse = { url: feed.url, body, fetchedAt: context.clock.now().toISOString() };
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) entry.etag = etag;
  if (lastModified) entry.lastModified = lastModified;
  remember(context, entry);
  return items;
}

/** How far into the document the XML declaration is looked for; it must come first, so this is generous. */
const DECLARATION_SCAN_BYTES = 1024;

/**
 * Feed bytes as text. A byte order mark is unambiguous and wins, as it does in browsers (WHATWG Encoding
 * standard), so a UTF-16 file served as "charset=utf-8" still reads; then the Content-Type charset, then the XML
 * declaration's encoding, then UTF-8. Labels TextDecoder does not know are skipped, so a typo in one place does
 * not hide a correct declaration elsewhere.
 */
export function decodeFeed(bytes: Uint8Array, contentType: string | null): string {
  const encoding =
    bomEncoding(bytes) ??
    known(/;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '')?.[1]) ??
    declaredEncoding(bytes) ??
    'utf-8';
  // TextDecoder drops a BOM matching the encoding; parseFeedDocument drops any other leading U+FEFF.
  return new TextDecoder(encoding).decode(bytes);
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf-8';
  if (b0 === 0xff && b1 === 0xfe) return 'utf-16le';
  if (b0 === 0xfe && b1 === 0xff) return 'utf-16be';
  return undefined;
}

/** The encoding named by `<?xml ... encoding="..."?>`, or UTF-16 recognised from "<?" without a BOM (XML 1.0, F.1). */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return 'utf-16le';
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return 'utf-16be';
  // Every encoding a declaration can be read in from here agrees with ASCII on its characters; latin1 maps bytes 1:1.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DECLARATION_SCAN_BYTES));
  const label = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head.toString('latin1'))?.[1];
  const encoding = known(label);
  // A declaration readable as single bytes is not in UTF-16, whatever it says (a common copy-paste error).
  return encoding?.startsWith('utf-16') ? undefined : encoding;
}

/** The WHATWG name for a label, or undefined when TextDecoder does not support it. */
function known(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

function remember(context: ConnectorContext, entry: CachedResponse): void {
  try {
    context.cache.putResponse(entry);
  } catch {
    // The cache only saves bandwidth next time; failing to write it must not throw away news we already have.
  }
}

/** One line naming the feed. Parse and status errors already start with the feed's label; network ones do not. */
function failureLine(feed: FeedSettings | undefined, error: unknown): string {
  if (!feed) return describeError(error);
  const label = feedLabel(feed);
  const message = error instanceof AppError ? error.message : describeError(error);
  if (message.startsWith(`${label}: `)) return message;
  // Network errors name the host; with no configured name the label starts with it too, so don't say it twice.
  const host = safeHost(feed.url);
  const detail = !feed.name && message.startsWith(host) ? message.slice(host.length).trimStart() : message;
  return `${label}: ${detail}`;
}
