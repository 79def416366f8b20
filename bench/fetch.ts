/**
 * bench:fetch — is the fetch phase really parallel, and is `show` really instant?
 *
 * Four sources sit behind local servers that answer after 0.5, 1, 2 and 3 s:
 *   rss         one feed, 0.5 s
 *   hackernews  topstories then the stories, 0.5 s each round trip: 1 s
 *   weather     one forecast request, 2 s
 *   slow-json   a bench-only connector (a stand-in for the Google sources, which are not built yet), 3 s
 * Parallel fetching takes about as long as the slowest (ratio ~1.0); one after another it would take 6.5 s
 * (ratio ~2.2). Then it times whole `daily-brief show` processes reading the cached brief.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allConnectors } from '../connectors/registry.ts';
import type { Connector } from '../connectors/types.ts';
import { httpGetJson } from '../core/http.ts';
import { BriefService } from '../app/service.ts';
import { loadSettings } from '../core/settings-load.ts';
import { generatedRssFeed, startFeedServer } from '../test/fakes/feed-server.ts';
import { sampleStories, startHnServer } from '../test/fakes/hn-server.ts';
import { sendJson, sleep, startServer } from '../test/fakes/server.ts';
import { startWeatherServer } from '../test/fakes/weather-server.ts';
import { CLI } from '../test/helpers/cli.ts';
import { quantile } from './lib/stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHOW_RUNS = Number(process.env.BENCH_SHOW_RUNS ?? 20);
const SLOWEST_MS = 3000;

const now = new Date();
const feeds = await startFeedServer({
  news: { body: generatedRssFeed({ title: 'Bench Wire', count: 20, newest: now.toISOString() }), delayMs: 500 },
});
const hn = await startHnServer({
  stories: sampleStories(15).map((s) => ({ ...s, time: Math.floor(now.getTime() / 1000) })),
  latencyMs: 500,
});
const weather = await startWeatherServer({ latencyMs: 2000 });
const slow = await startServer(async (_req, res) => {
  await sleep(SLOWEST_MS);
  sendJson(res, { ok: true });
});

const slowConnector: Connector = {
  id: 'slow-json',
  label: 'Slow JSON API (bench)',
  kinds: ['news'],
  enabled: () => true,
  fetch: async (context) => {
    await httpGetJson({ url: `${slow.baseUrl}/data`, signal: context.signal, timeoutMs: context.requestTimeoutMs });
    return { items: [], warnings: [] };
  },
};

const dir = mkdtempSync(join(tmpdir(), 'db-bench-fetch-'));
writeFileSync(
  join(dir, 'settings.json'),
  JSON.stringify({
    location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: 'Europe/Berlin' },
    sources: {
      rss: { feeds: [{ url: feeds.url('news'), category: 'tech', name: 'Bench Wire' }] },
      hackernews: { baseUrl: hn.apiBaseUrl, maxStories: 15, concurrency: 15 },
      weather: { baseUrl: weather.forecastBaseUrl, geocodingBaseUrl: weather.geocodingBaseUrl },
    },
    refresh: { sourceTimeoutMs: 10_000 },
  }),
);

const fetchTimes: number[] = [];
try {
  console.log(`bench:fetch — ${RUNS} refreshes, sources answering after 0.5 / 1 / 2 / 3 s`);
  for (let run = 1; run <= RUNS; run++) {
    const service = new BriefService({
      dataDir: dir,
      settings: loadSettings(dir),
      connectors: [...allConnectors(), slowConnector],
    });
    const brief = await service.refresh({ trigger: 'bench' });
    service.close();
    const failed = brief.sources.filter((s) => s.status !== 'ok');
    if (failed.length) throw new Error(`sources failed: ${failed.map((s) => `${s.id}: ${s.error ?? ''}`).join('; ')}`);
    const perSource = brief.sources.map((s) => `${s.id} ${s.durationMs} ms`).join(', ');
    const sequential = brief.sources.reduce((sum, s) => sum + s.durationMs, 0);
    fetchTimes.push(brief.timings.fetchMs);
    console.log(
      `  run ${run}: fetch phase ${brief.timings.fetchMs} ms (ratio ${(brief.timings.fetchMs / SLOWEST_MS).toFixed(3)}), ` +
        `total ${brief.timings.totalMs} ms; sum of sources ${sequential} ms [${perSource}]`,
    );
  }
  const median = quantile(fetchTimes, 0.5);
  console.log(
    `fetch phase: median ${median} ms, max ${Math.max(...fetchTimes)} ms; ` +
      `ratio to slowest source ${(median / SLOWEST_MS).toFixed(3)} (target ≤ 1.15; sequential ≈ 2.17)`,
  );

  // `show` as a user runs it: a fresh Node process, the CLI, one SQLite read, the brief printed.
  const showTimes: number[] = [];
  const jsonTimes: number[] = [];
  for (let i = 0; i <= SHOW_RUNS; i++) {
    for (const [args, times] of [
      [['show'], showTimes],
      [['show', '--json'], jsonTimes],
    ] as const) {
      const started = performance.now();
      const result = spawnSync(process.execPath, [CLI, '--data-dir', dir, ...args], { encoding: 'utf8' });
      const elapsed = performance.now() - started;
      if (result.status !== 0) throw new Error(`daily-brief show failed: ${result.stderr}`);
      if (i > 0) times.push(elapsed); // the first run warms the OS file cache
    }
  }
  console.log(
    `daily-brief show (whole process, ${SHOW_RUNS} runs): median ${quantile(showTimes, 0.5).toFixed(0)} ms, ` +
      `p95 ${quantile(showTimes, 0.95).toFixed(0)} ms, min ${Math.min(...showTimes).toFixed(0)} ms (target < 300 ms)`,
  );
  console.log(
    `daily-brief show --json: median ${quantile(jsonTimes, 0.5).toFixed(0)} ms, p95 ${quantile(jsonTimes, 0.95).toFixed(0)} ms`,
  );
  const bare = spawnSync(process.execPath, ['-e', '0']);
  if (bare.status === 0) {
    const started = performance.now();
    for (let i = 0; i < 5; i++) spawnSync(process.execPath, ['-e', '0']);
    console.log(`(for scale: a bare \`node -e 0\` takes ${((performance.now() - started) / 5).toFixed(0)} ms here)`);
  }
} finally {
  await Promise.all([feeds.close(), hn.close(), weather.close(), slow.close()]);
  rmSync(dir, { recursive: true, force: true });
}
