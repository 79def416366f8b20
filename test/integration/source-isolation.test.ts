import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConnectors } from '../../connectors/registry.ts';
import { BriefService } from '../../app/service.ts';
import { parseSettings } from '../../core/settings.ts';
import { generatedRssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { sampleStories, startHnServer, type HnServer } from '../fakes/hn-server.ts';

/** Through the whole workflow: one stuck request must not cost the rest of its source. */
describe('a stuck request inside a source', () => {
  let dir: string;
  let feeds: FeedServer;
  let hn: HnServer;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'db-isolation-'));
    const now = new Date().toISOString();
    feeds = await startFeedServer({
      good: { body: generatedRssFeed({ title: 'Good Feed', count: 3, newest: now }) },
      stuck: { body: generatedRssFeed({ title: 'Stuck Feed', count: 3, newest: now }), delayMs: Infinity },
    });
    const stories = sampleStories(4).map((s) => ({ ...s, time: Math.floor(Date.now() / 1000) }));
    hn = await startHnServer({ stories, hangItems: [stories[1]?.id ?? 0] });
  });
  afterEach(async () => {
    await Promise.all([feeds.close(), hn.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('times out that request alone; the other feeds and stories still arrive', async () => {
    const settings = parseSettings({
      location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: 'Europe/Berlin' },
      sources: {
        rss: {
          feeds: [
            { url: feeds.url('good'), category: 'tech', name: 'Good Feed' },
            { url: feeds.url('stuck'), category: 'tech', name: 'Stuck Feed' },
          ],
        },
        hackernews: { baseUrl: hn.apiBaseUrl, maxStories: 4 },
        weather: { enabled: false },
      },
      refresh: { sourceTimeoutMs: 1500 },
    });
    const service = new BriefService({
      dataDir: dir,
      settings: { settings, fromFile: true, locationSet: true },
      connectors: allConnectors(),
    });
    const brief = await service.refresh({ trigger: 'test' });
    service.close();
    const byId = Object.fromEntries(brief.sources.map((s) => [s.id, s]));
    expect(byId.rss).toMatchObject({ status: 'ok', itemCount: 3 });
    expect(byId.rss?.warnings).toEqual([expect.stringMatching(/^Stuck Feed: .*did not answer within 600 ms/)]);
    expect(byId.hackernews).toMatchObject({ status: 'ok', itemCount: 3 });
    expect(byId.hackernews?.warnings).toEqual([expect.stringMatching(/1 of 4 stories/)]);
    expect(byId.weather?.status).toBe('disabled');
  });
});
