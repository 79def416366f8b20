/**
 * bench:fetch — is the fetch phase really parallel, and is `show` really fast?
 *
 * Every source the app has runs for real, each behind a local server that answers slowly:
 *   rss         one feed, 0.5 s
 *   hackernews  topstories then the stories, 0.5 s each round trip: 1 s
 *   weather     one forecast request, 2 s
 *   gmail       the fake Google, 1 s per API call, one connected account: 3 s for the first (full) sync, then
 *               1 s for each incremental one
 *   calendar    the same account, calendar list then events: 2 s
 * Parallel fetching takes about as long as the slowest source (ratio ~1.0); one after another it would take the
 * sum of them. Then it times whole `daily-brief show` processes reading the stored brief, side by side with a
 * bare `node -e 0` (issue 11's target: show ≤ 2.5 × bare node).
 *
 * BENCH_SMOKE=1: 3 items a source, one refresh, latencies a quarter as long, 3 `show` and 3 bare processes.
 * It prints figures and asserts nothing about them; it exits 1 only when a source failed or a process did.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { BriefService } from '../app/service.ts';
import { generatedRssFeed, startFeedServer } from '../test/fakes/feed-server.ts';
import { fakeAccount, startGoogleServer, type FakeMessage } from '../test/fakes/google-server.ts';
import { sampleStories, startHnServer } from '../test/fakes/hn-server.ts';
import { startWeatherServer } from '../test/fakes/weather-server.ts';
import { CLI } from '../test/helpers/cli.ts';
import { connectAs, googleDataDir } from '../test/helpers/google.ts';
import { SMOKE, sized, sizeFromEnv } from './lib/smoke.ts';
import { quantile } from './lib/stats.ts';

const RUNS = sizeFromEnv('BENCH_RUNS', 5, 1);
const SHOW_RUNS = sizeFromEnv('BENCH_SHOW_RUNS', 10, 3);
const ITEMS = sized(15, 3);
/** Smoke mode shortens every latency: the run still crosses every server, just sooner. */
const ms = (full: number): number => full * sized(1, 0.25);
const ACCOUNT = 'you@example.com';

const now = Date.now();
const feeds = await startFeedServer({
  news: {
    body: generatedRssFeed({ title: 'Bench Wire', count: ITEMS, newest: new Date(now).toISOString() }),
    delayMs: ms(500),
  },
});
const hn = await startHnServer({
  stories: sampleStories(ITEMS).map((s) => ({ ...s, time: Math.floor(now / 1000) })),
  latencyMs: ms(500),
});
const weather = await startWeatherServer({ latencyMs: ms(2000) });
const google = await startGoogleServer({ latencyMs: ms(1000) });
// Pages as big as Google's, so a listing is one round trip (the fake's small default pages exercise paging in tests).
google.messagesPageSize = 500;
google.eventsPageSize = 250;
google.accounts.set(ACCOUNT, fakeAccount(ACCOUNT, { messages: mails(ITEMS) }));
const account = google.accounts.get(ACCOUNT);
if (account) account.calendars = [{ id: 'primary', summary: 'You', events: meetings(ITEMS) }];

const { dir, stateDir } = googleDataDir(google, {
  sources: {
    rss: { feeds: [{ url: feeds.url('news'), category: 'tech', name: 'Bench Wire' }] },
    hackernews: { baseUrl: hn.apiBaseUrl, maxStories: ITEMS, concurrency: ITEMS },
    weather: { baseUrl: weather.forecastBaseUrl, geocodingBaseUrl: weather.geocodingBaseUrl },
    // Every message in one round trip, as Hacker News gets every story in one: three round trips in all.
    gmail: { concurrency: ITEMS },
  },
  refresh: { sourceTimeoutMs: 30_000 },
  // The fetch phase is what is measured: no model, no memory to time along with it.
  memory: { enabled: false },
});
// The account's tokens go to a throwaway file store, never the keyring of the machine running the bench.
process.env.DAILY_BRIEF_NO_KEYRING = '1';
process.env.XDG_STATE_HOME = stateDir;

try {
  const connecting = new BriefService({ dataDir: dir });
  await connectAs(connecting, google, ACCOUNT);
  connecting.close();
  await timeRefreshes();
  timeShow();
} finally {
  await Promise.all([feeds.close(), hn.close(), weather.close(), google.close()]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
}

async function timeRefreshes(): Promise<void> {
  console.log(
    `bench:fetch — ${RUNS} refresh${RUNS === 1 ? '' : 'es'} of 5 real sources behind local servers` +
      (SMOKE ? ' (smoke: latencies ÷ 4)' : ''),
  );
  const ratios: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const service = new BriefService({ dataDir: dir });
    const brief = await service.refresh({ trigger: 'bench' });
    service.close();
    // Sources with no account (IMAP, CalDAV, ICS here) are off, not failed.
    const failed = brief.sources.filter((s) => s.status !== 'ok' && s.status !== 'disabled');
    if (failed.length) {
      throw new Error(`sources failed: ${failed.map((s) => `${s.id} ${s.status}: ${s.error ?? ''}`).join('; ')}`);
    }
    const fetched = brief.sources.filter((s) => s.status !== 'disabled');
    const slowest = Math.max(...fetched.map((s) => s.durationMs));
    const sequential = fetched.reduce((sum, s) => sum + s.durationMs, 0);
    const perSource = fetched.map((s) => `${s.id} ${s.durationMs} ms`).join(', ');
    ratios.push(brief.timings.fetchMs / slowest);
    console.log(
      `  run ${run}: fetch phase ${brief.timings.fetchMs} ms, slowest source ${slowest} ms ` +
        `(ratio ${(brief.timings.fetchMs / slowest).toFixed(3)}), total ${brief.timings.totalMs} ms; ` +
        `sum of sources ${sequential} ms [${perSource}]`,
    );
  }
  console.log(
    `fetch phase / slowest source: median ratio ${quantile(ratios, 0.5).toFixed(3)}, ` +
      `max ${Math.max(...ratios).toFixed(3)} (target ≤ 1.15)`,
  );
}

/** `show` as a user runs it (a fresh Node process, the CLI, one SQLite read, the brief printed) next to bare Node. */
function timeShow(): void {
  const kinds: Record<string, string[]> = {
    show: [CLI, '--data-dir', dir, 'show'],
    // Smoke mode keeps to the pair the ratio needs.
    ...(SMOKE ? {} : { 'show --json': [CLI, '--data-dir', dir, 'show', '--json'] }),
    'node -e 0': ['-e', '0'],
  };
  const times = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, [] as number[]]));
  // Interleaved, so a busy moment on the machine falls on each kind alike; round 0 warms the OS file cache.
  for (let round = 0; round <= SHOW_RUNS; round++) {
    for (const [kind, args] of Object.entries(kinds)) {
      const started = performance.now();
      const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const elapsed = performance.now() - started;
      if (result.status !== 0) throw new Error(`${kind} failed: ${result.stderr}`);
      if (round > 0) times[kind]?.push(elapsed);
    }
  }
  const median = (kind: string): number => quantile(times[kind] ?? [], 0.5);
  const f = (value: number): string => `${value.toFixed(0)} ms`;
  console.log(
    `daily-brief show (whole process, median of ${SHOW_RUNS}): ${f(median('show'))}, ` +
      `min ${f(Math.min(...(times.show ?? [])))}${SMOKE ? '' : `; show --json ${f(median('show --json'))}`}`,
  );
  console.log(`bare node -e 0 (whole process, median of ${SHOW_RUNS}): ${f(median('node -e 0'))}`);
  console.log(`show / bare node: ratio ${(median('show') / median('node -e 0')).toFixed(2)} (target ≤ 2.5)`);
}

function mails(count: number): FakeMessage[] {
  return Array.from({ length: count }, (_, n) => {
    const at = now - (n + 1) * 600_000;
    return {
      id: `m${n}`,
      threadId: `t${n}`,
      labelIds: ['INBOX', 'UNREAD', ...(n % 3 === 0 ? ['IMPORTANT'] : [])],
      internalDate: at,
      snippet: `About item ${n} of the quarter plan`,
      raw: [
        `From: "Sender ${n}" <sender${n}@example.com>`,
        `To: ${ACCOUNT}`,
        `Subject: Quarter plan, item ${n}`,
        `Date: ${new Date(at).toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        `Could you look at item ${n} of the quarter plan before the review?`,
        '',
      ].join('\n'),
    };
  });
}

function meetings(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, n) => {
    const start = now + (n + 1) * 3_600_000;
    return {
      id: `e${n}`,
      status: 'confirmed',
      summary: `Review ${n}`,
      start: { dateTime: new Date(start).toISOString() },
      end: { dateTime: new Date(start + 1_800_000).toISOString() },
    };
  });
}
