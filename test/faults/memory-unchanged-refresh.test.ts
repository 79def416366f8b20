import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BriefService } from '../../app/service.ts';
import { demoConnectors, demoSettings } from '../../connectors/demo/demo.ts';
import { rssConnector } from '../../connectors/rss.ts';
import { fixedClock } from '../../core/clock.ts';
import { memoryLogger } from '../../core/log.ts';
import { parseSettings } from '../../core/settings.ts';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { startOllamaServer, type ChatRequest, type ChatTurn, type OllamaServer } from '../fakes/ollama-server.ts';
import { briefReply, isWriteCall, MORNING } from '../helpers/llm.ts';

const WEEK_MS = 7 * 86_400_000;
/** A real weekly blog's feed: 20 posts, irregular, reaching back 31 weeks (4 of them past 180 days). */
const WEEKS_AGO = [0, 1, 2, 3, 5, 6, 8, 9, 11, 13, 14, 16, 18, 20, 22, 24, 26, 28, 30, 31];
const RETENTION_DAYS = 180;

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function weeklyFeed(): string {
  const now = Date.parse(MORNING);
  return rssFeed({
    title: 'Slow Weekly',
    link: 'https://weekly.example/',
    items: WEEKS_AGO.map((weeks, i) => ({
      title: `Weekly post ${String(i + 1)}: notes from week ${String(weeks)}`,
      link: `https://weekly.example/posts/${String(i + 1)}`,
      guid: `weekly-${String(i + 1)}`,
      description: `<p>Post ${String(i + 1)} of the weekly, written ${String(weeks)} weeks ago.</p>`,
      pubDate: new Date(now - weeks * WEEK_MS - 3_600_000).toUTCString(),
    })),
  });
}

function respond(request: ChatRequest): ChatTurn {
  return isWriteCall(request) ? briefReply(request) : { content: 'nothing to look up' };
}

async function setUp(): Promise<{ feeds: FeedServer; ollama: OllamaServer; dir: string }> {
  const feeds = await startFeedServer({ weekly: { body: weeklyFeed() } });
  closers.push(() => feeds.close());
  const ollama = await startOllamaServer({ respond });
  closers.push(() => ollama.close());
  const dir = mkdtempSync(join(tmpdir(), 'db-fault-memory-'));
  closers.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return { feeds, ollama, dir };
}

/** One refresh as one process does it: a fresh service on the data dir, closed afterwards. */
async function refreshOnce(dir: string, feeds: FeedServer, ollama: OllamaServer): Promise<void> {
  const settings = parseSettings({
    location: { name: 'Sample City', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
    llm: { baseUrl: ollama.baseUrl, model: 'llama3.2:3b', timeoutMs: 5000 },
    memory: { retentionDays: RETENTION_DAYS, backend: 'sqlite-vec' },
    sources: { rss: { feeds: [{ url: feeds.url('weekly'), category: 'tech', name: 'Slow Weekly' }] } },
  });
  const service = new BriefService({
    dataDir: dir,
    clock: fixedClock(MORNING),
    settings: { ...demoSettings(), settings },
    // The sample mail and calendar (meetings today, so meeting prep searches memory), and the real RSS connector.
    connectors: [...demoConnectors().filter((c) => c.id !== 'rss'), rssConnector],
    log: memoryLogger(),
  });
  try {
    await service.refresh({ trigger: 'test' });
  } finally {
    service.close();
  }
}

function embedded(ollama: OllamaServer): string[] {
  return ollama.embedRequests.flatMap((r) => (Array.isArray(r.input) ? r.input : [r.input]));
}

describe('fault: an unchanged refresh embeds nothing (issue 12 item 16)', () => {
  it('never embeds a feed post older than the retention period', async () => {
    const { feeds, ollama, dir } = await setUp();
    await refreshOnce(dir, feeds, ollama);
    const posts = embedded(ollama).filter((text) => text.includes('Weekly post'));
    // 16 of the 20 posts are inside 180 days; the 4 older ones would be pruned at once.
    expect(posts).toHaveLength(16);
    expect(posts.some((text) => /week (26|28|30|31)\b/.test(text))).toBe(false);
  });

  it('embeds 0 texts on a second, unchanged refresh in a new process', async () => {
    const { feeds, ollama, dir } = await setUp();
    await refreshOnce(dir, feeds, ollama);
    const first = ollama.embedInputCount();
    expect(first).toBeGreaterThan(0);
    // Meeting prep asked memory something: query embeddings were made, and must come from the cache next time.
    expect(embedded(ollama).some((text) => text.startsWith('search_query: '))).toBe(true);
    await refreshOnce(dir, feeds, ollama);
    await refreshOnce(dir, feeds, ollama);
    const again = embedded(ollama).slice(first);
    expect(again).toEqual([]);
  });
});
