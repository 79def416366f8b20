import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Brief, SourceHealth } from '../../core/types.ts';
import { atomFeed, generatedRssFeed, htmlPage, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { sampleStories, startHnServer, type HnServer } from '../fakes/hn-server.ts';
import { startWeatherServer, type WeatherServer } from '../fakes/weather-server.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * `daily-brief refresh` as a user runs it, with every real connector pointed at local servers that
 * speak the real wire formats (RSS, Atom, Hacker News Firebase JSON, Open-Meteo JSON).
 */
describe('daily-brief refresh end to end', () => {
  let dir: string;
  let feeds: FeedServer;
  let hn: HnServer;
  let weather: WeatherServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'db-e2e-'));
    const now = new Date();
    feeds = await startFeedServer({
      markets: {
        body: generatedRssFeed({ title: 'Market Wire', count: 5, newest: now.toISOString() }),
        etag: '"m1"',
      },
      tech: {
        body: atomFeed({
          title: 'Tech Atom',
          base: 'https://tech.example/',
          entries: [
            {
              title: 'Compilers & you',
              link: '/posts/compilers',
              id: 'tag:tech.example,2026:1',
              updated: new Date(now.getTime() - 3_600_000).toISOString(),
              summary: '<p>Why <b>compilers</b> matter</p>',
            },
          ],
        }),
        contentType: 'application/atom+xml',
      },
      broken: { status: 500, body: 'oops' },
      homepage: { body: htmlPage(), contentType: 'text/html' },
    });
    hn = await startHnServer({
      stories: sampleStories(4).map((s, i) => ({ ...s, time: Math.floor(now.getTime() / 1000) - i * 600 })),
    });
    weather = await startWeatherServer();
    const settings = {
      location: { name: 'Berlin', timezone: 'Europe/Berlin' },
      sources: {
        rss: {
          feeds: [
            { url: feeds.url('markets'), category: 'market', name: 'Market Wire' },
            { url: feeds.url('tech'), category: 'tech' },
            { url: feeds.url('broken'), category: 'tech', name: 'Broken Feed' },
            { url: feeds.url('homepage'), name: 'Not A Feed' },
          ],
        },
        hackernews: { baseUrl: hn.apiBaseUrl, maxStories: 4 },
        weather: { baseUrl: weather.forecastBaseUrl, geocodingBaseUrl: weather.geocodingBaseUrl },
      },
      refresh: { sourceTimeoutMs: 3000 },
    };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  });

  afterAll(async () => {
    await Promise.all([feeds.close(), hn.close(), weather.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a cited brief from every source, reports each broken feed, and survives a source going down', async () => {
    const first = await runCli(['--data-dir', dir, 'refresh', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const brief = JSON.parse(first.stdout) as Brief;

    const rss = brief.sources.find((s) => s.id === 'rss');
    expect(rss?.status).toBe('ok');
    expect(rss?.itemCount).toBe(6);
    expect(rss?.warnings).toHaveLength(2);
    expect(rss?.warnings?.[0]).toMatch(/Broken Feed.*500/);
    expect(rss?.warnings?.[1]).toMatch(/Not A Feed.*HTML page/);
    expect(brief.sources.find((s) => s.id === 'hackernews')).toMatchObject({ status: 'ok', itemCount: 4 });
    expect(brief.sources.find((s) => s.id === 'weather')).toMatchObject({ status: 'ok', itemCount: 1 });

    expect(brief.timezone).toBe('Europe/Berlin');
    expect(brief.sections.map((s) => s.kind)).toEqual(['market', 'tech']);
    const tech = brief.sections.find((s) => s.kind === 'tech');
    const compilers = tech?.items.find((i) => i.title === 'Compilers & you');
    expect(compilers?.url).toBe('https://tech.example/posts/compilers');
    expect(compilers?.snippet).toBe('Why compilers matter');
    expect(tech?.items.filter((i) => i.source === 'hackernews')).toHaveLength(4);

    expect(brief.tldr).toHaveLength(3);
    // Sentences from the items' own words: the story's title and lead, with where it ran.
    expect(brief.tldr[0]?.text).toMatch(/^Market Wire story 1: Summary of Market Wire story 1\..*\(Market Wire\)$/);
    expect(brief.tldr[1]?.itemIds[0]).toMatch(/^hackernews:/);
    const ids = new Set(brief.sections.flatMap((s) => s.items.map((i) => i.id)));
    for (const bullet of brief.tldr) for (const id of bullet.itemIds) expect(ids.has(id)).toBe(true);

    expect(brief.weather?.location).toBe('Berlin');
    // The fake's day: light rain, 3–8 °C, 80 % chance, 3.2 mm.
    expect(brief.weather?.advice).toEqual(['Take an umbrella.', 'Wear a warm coat.']);
    expect(brief.weather?.summary).toMatch(/^Light rain, high 8 °C, low 3 °C, 80% chance of precipitation \(3\.2 mm\)/);
    expect(weather.geocodingRequests()).toHaveLength(1);

    // Hacker News goes down; the brief still arrives, with its last stories marked stale.
    await hn.close();
    const second = await runCli(['--data-dir', dir, 'refresh', '--json']);
    expect(second.code).toBe(0);
    const after = JSON.parse(second.stdout) as Brief;
    expect(after.sources.find((s) => s.id === 'hackernews')).toMatchObject({
      status: 'error',
      staleItemCount: 4,
      dataAsOf: brief.sources.find((s) => s.id === 'hackernews')?.dataAsOf,
    });
    const staleHn = after.sections.flatMap((s) => s.items).filter((i) => i.source === 'hackernews');
    expect(staleHn).toHaveLength(4);
    expect(staleHn.every((i) => i.stale === true)).toBe(true);
    expect(Date.parse(after.dataAsOf)).toBeLessThan(Date.parse(after.generatedAt));
    // The place was looked up once and cached; the feed with an ETag was asked conditionally.
    expect(weather.geocodingRequests()).toHaveLength(1);
    expect(feeds.requestsFor('markets').at(-1)?.headers['if-none-match']).toBe('"m1"');

    const sources = await runCli(['--data-dir', dir, 'sources', '--json']);
    const health = JSON.parse(sources.stdout) as SourceHealth[];
    const hnHealth = health.find((h) => h.id === 'hackernews');
    expect(hnHealth?.status).toBe('error');
    expect(hnHealth?.lastSuccessAt).toBe(brief.sources.find((s) => s.id === 'hackernews')?.dataAsOf);
    expect(hnHealth?.lastError).toMatch(/127\.0\.0\.1/);

    const table = await runCli(['--data-dir', dir, 'sources']);
    expect(table.stdout.split('\n')[0]).toMatch(/^SOURCE\s+STATUS\s+ITEMS\s+LAST SUCCESS\s+LAST ERROR$/);
  });
});
