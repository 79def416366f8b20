import pLimit from 'p-limit';
import { safeHttpUrl } from '../core/links.ts';
import { z } from 'zod';
import { AppError, describeError } from '../core/errors.ts';
import { httpGetJson } from '../core/http.ts';
import { collapseWhitespace, htmlToPlainText } from './html-text.ts';
import type { Settings } from '../core/settings.ts';
import { SNIPPET_MAX, type Item } from '../core/types.ts';
import type { Connector, ConnectorContext, ConnectorResult } from './types.ts';

const HN_ITEM_PAGE = 'https://news.ycombinator.com/item?id=';

const topStoriesSchema = z.array(z.int().positive());

/** HN opened in October 2006; nothing on it is older, and a timestamp past 2100 is garbage, not news. */
const TIME_MIN = Date.UTC(2006, 0, 1) / 1000;
const TIME_MAX = Date.UTC(2100, 0, 1) / 1000;
const TITLE_MAX = 300;
const AUTHOR_MAX = 100;

const count = z.int().nonnegative();

// Firebase answers `null` for ids that do not exist (yet); anything else is an object with most fields optional.
// The bounds make an absurd item fail here, inside the per-item error handling, instead of throwing later
// (`new Date(1e20 * 1000).toISOString()`) or leaking a negative score into ranking.
const hnItemSchema = z
  .object({
    id: z.int().positive(),
    type: z.string().optional(),
    by: z.string().max(AUTHOR_MAX).optional(),
    time: z.int().min(TIME_MIN).max(TIME_MAX).optional(),
    title: z.string().max(TITLE_MAX).optional(),
    url: z.string().optional(),
    text: z.string().optional(),
    score: count.optional(),
    descendants: count.optional(),
    deleted: z.boolean().optional(),
    dead: z.boolean().optional(),
  })
  .nullable();

type HnItem = NonNullable<z.infer<typeof hnItemSchema>>;

export const hackerNewsConnector: Connector = {
  id: 'hackernews',
  label: 'Hacker News',
  kinds: ['news'],
  enabled: (settings: Settings) => settings.sources.hackernews.enabled,
  fetch: fetchHackerNews,
};

async function fetchHackerNews(context: ConnectorContext): Promise<ConnectorResult> {
  const { baseUrl, maxStories, concurrency } = context.settings.sources.hackernews;
  const base = baseUrl.replace(/\/+$/, '');
  const get = (url: string) =>
    httpGetJson({
      url,
      signal: context.signal,
      timeoutMs: context.requestTimeoutMs,
      maxBytes: context.settings.refresh.maxResponseBytes,
    });

  const top = topStoriesSchema.safeParse(await get(`${base}/topstories.json`));
  if (!top.success) {
    throw new AppError('bad_response', 'Hacker News sent an unexpected list of top stories', {
      hint: 'Check sources.hackernews.baseUrl in settings',
      cause: top.error,
    });
  }
  const ids = top.data.slice(0, maxStories);
  if (ids.length === 0) return { items: [], warnings: [] };

  const limit = pLimit(concurrency);
  const settled = await Promise.allSettled(
    ids.map((id) =>
      limit(async () => {
        const parsed = hnItemSchema.safeParse(await get(`${base}/item/${id}.json`));
        if (!parsed.success) {
          const field = parsed.error.issues[0]?.path.join('.');
          const problem = field ? `an invalid ${field} in item ${id}` : `an unexpected item ${id}`;
          throw new AppError('bad_response', `Hacker News sent ${problem}`, { cause: parsed.error });
        }
        // Converted here, so that anything odd the schema let through still costs one story, not the source.
        return toItem(parsed.data);
      }),
    ),
  );
  // A cancelled refresh must read as cancelled, not as "15 of 15 stories could not be fetched".
  if (context.signal.aborted) {
    throw new AppError('aborted', 'Hacker News fetch was cancelled', { cause: context.signal.reason });
  }

  const items: Item[] = [];
  const failures: unknown[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'rejected') {
      failures.push(outcome.reason);
      continue;
    }
    if (outcome.value) items.push(outcome.value);
  }

  if (failures.length === ids.length) {
    throw new AppError('source_failed', `none of the ${ids.length} Hacker News stories could be fetched`, {
      hint: describeError(failures[0]),
      cause: failures[0],
    });
  }
  const warnings =
    failures.length > 0
      ? [`${failures.length} of ${ids.length} stories could not be fetched (${describeError(failures[0])})`]
      : [];
  return { items, warnings };
}

/** Only live stories become items; dead, deleted, missing and non-story entries (jobs, polls) are dropped. */
function toItem(story: HnItem | null): Item | undefined {
  if (!story || story.deleted || story.dead || story.type !== 'story') return undefined;
  const title = collapseWhitespace(story.title ?? '');
  if (!title) return undefined;
  const hnUrl = `${HN_ITEM_PAGE}${story.id}`;
  const url = linkOf(story.url) ?? hnUrl;
  const domain = domainOf(url);
  const author = collapseWhitespace(story.by ?? '');
  // Score and comment counts change on every refresh; kept out of the snippet (they live in meta) so the item's
  // text, and with it its content hash, only changes when the story does.
  const text = story.text ? htmlToPlainText(story.text, SNIPPET_MAX) : '';
  return {
    id: `hackernews:${story.id}`,
    kind: 'news',
    source: 'hackernews',
    origin: 'Hacker News',
    category: 'tech',
    title,
    url,
    snippet: text || domain,
    ...(author !== '' && { author }),
    ...(story.time !== undefined && { publishedAt: new Date(story.time * 1000).toISOString() }),
    tags: [],
    meta: { score: story.score ?? 0, comments: story.descendants ?? 0, hnUrl, domain },
  };
}

/** Story links are user-submitted; anything that is not a plain http(s) URL falls back to the discussion page. */
const linkOf = safeHttpUrl;

function domainOf(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}
