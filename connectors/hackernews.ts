import pLimit from 'p-limit';
import { z } from 'zod';
import { AppError, describeError } from '../core/errors.ts';
import { httpGetJson } from '../core/http.ts';
import { htmlToPlainText } from './html-text.ts';
import type { Settings } from '../core/settings.ts';
import { SNIPPET_MAX, type Item } from '../core/types.ts';
import type { Connector, ConnectorContext, ConnectorResult } from './types.ts';

const HN_ITEM_PAGE = 'https://news.ycombinator.com/item?id=';

const topStoriesSchema = z.array(z.int().positive());

// Firebase answers `null` for ids that do not exist (yet); anything else is an object with most fields optional.
const hnItemSchema = z
  .object({
    id: z.int(),
    type: z.string().optional(),
    by: z.string().optional(),
    time: z.number().optional(),
    title: z.string().optional(),
    url: z.string().optional(),
    text: z.string().optional(),
    score: z.number().optional(),
    descendants: z.number().optional(),
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
        if (!parsed.success) throw new AppError('bad_response', `Hacker News sent an unexpected item ${id}`);
        return parsed.data;
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
    const item = toItem(outcome.value);
    if (item) items.push(item);
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
  if (!story || story.deleted || story.dead || story.type !== 'story' || !story.title) return undefined;
  const hnUrl = `${HN_ITEM_PAGE}${story.id}`;
  const url = linkOf(story.url) ?? hnUrl;
  const score = story.score ?? 0;
  const comments = story.descendants ?? 0;
  const counts = `${plural(score, 'point')} · ${plural(comments, 'comment')}`;
  const separator = ' — ';
  const text = story.text ? htmlToPlainText(story.text, SNIPPET_MAX - counts.length - separator.length) : '';
  return {
    id: `hackernews:${story.id}`,
    kind: 'news',
    source: 'hackernews',
    origin: 'Hacker News',
    category: 'tech',
    title: story.title,
    url,
    snippet: text ? `${counts}${separator}${text}` : counts,
    ...(story.by !== undefined && { author: story.by }),
    ...(story.time !== undefined && { publishedAt: new Date(story.time * 1000).toISOString() }),
    tags: [],
    meta: { score, comments, hnUrl, domain: domainOf(url) },
  };
}

/** Story links are user-submitted; anything that is not a plain http(s) URL falls back to the discussion page. */
function linkOf(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function domainOf(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
