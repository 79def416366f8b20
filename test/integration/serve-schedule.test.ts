import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAST_RUN_KEY } from '../../app/scheduler.ts';
import { TOKEN_HEADER } from '../../app/serve/server.ts';
import type { AppEvent } from '../../contract/events.ts';
import { Store } from '../../core/store/store.ts';
import type { Brief } from '../../core/types.ts';
import { generatedRssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { sampleStories, startHnServer, type HnServer } from '../fakes/hn-server.ts';
import { BERLIN, startWeatherServer, type WeatherServer } from '../fakes/weather-server.ts';
import { CLI } from '../helpers/cli.ts';

/**
 * `serve` keeps the user's schedule: started (under libfaketime) a few seconds before `schedule.dailyAt`, it
 * writes a brief at that time and streams `brief-ready` to an open event stream. The daily slot before is
 * marked done, so the brief cannot come from a catch-up at start.
 */
const FAKETIME = '/usr/bin/faketime';
/** Preloaded into node itself (not through the faketime wrapper), so that the SIGTERM at the end reaches serve. */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const START = '2026-12-03 06:29:45';

let feeds: FeedServer;
let hn: HnServer;
let weather: WeatherServer;
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  const installed = spawnSync(FAKETIME, ['--version']).status === 0 && existsSync(LIBFAKETIME);
  // Never a skip: without faketime this test cannot say anything, so it fails with the fix.
  if (!installed) throw new Error('faketime is not installed: apt-get install -y faketime');
  feeds = await startFeedServer({
    wire: { body: generatedRssFeed({ title: 'Wire', count: 4, newest: '2026-12-03T05:00:00.000Z' }) },
  });
  hn = await startHnServer({ stories: sampleStories(3) });
  weather = await startWeatherServer();
  dataDir = mkdtempSync(join(tmpdir(), 'db-serve-schedule-'));
  const settings = {
    location: { name: 'Berlin', latitude: BERLIN.latitude, longitude: BERLIN.longitude, timezone: 'UTC' },
    schedule: { dailyAt: '06:30' },
    sources: {
      rss: { feeds: [{ url: feeds.url('wire'), category: 'news', name: 'Wire' }] },
      hackernews: { baseUrl: hn.apiBaseUrl, maxStories: 3 },
      weather: { baseUrl: weather.forecastBaseUrl, geocodingBaseUrl: weather.geocodingBaseUrl },
    },
    llm: { provider: 'none' },
    memory: { enabled: false },
  };
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const store = Store.open(dataDir);
  store.putValue(LAST_RUN_KEY, '2026-12-02T06:30:00.000Z', '2026-12-02T06:30:00.000Z');
  store.close();
});

afterAll(async () => {
  const running = child;
  if (running && running.exitCode === null) {
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
  await Promise.all([feeds.close(), hn.close(), weather.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

async function firstLine(proc: ChildProcess): Promise<string> {
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  for await (const line of lines) return line;
  throw new Error('serve printed nothing');
}

/** Reads the event stream until an event matches, or gives up. */
async function waitForEvent(url: string, token: string, match: (e: AppEvent) => boolean, ms: number) {
  const response = await fetch(url, { headers: { [TOKEN_HEADER]: token }, signal: AbortSignal.timeout(ms) });
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error('the event stream ended');
    buffer += value;
    for (const frame of buffer.split('\n\n').slice(0, -1)) {
      const data = frame
        .split('\n')
        .find((l) => l.startsWith('data:'))
        ?.slice(5);
      if (!data) continue;
      const event = JSON.parse(data) as AppEvent;
      if (match(event)) {
        await reader.cancel();
        return event;
      }
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
  }
}

describe('daily-brief serve and the schedule', () => {
  it('writes a brief at schedule.dailyAt and streams brief-ready', { timeout: 60_000 }, async () => {
    child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve'], {
      env: {
        ...process.env,
        NO_COLOR: '1',
        LD_PRELOAD: LIBFAKETIME,
        FAKETIME: `@${START}`,
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = new URL(await firstLine(child));
    // The token rides in the fragment (`/#token=…`), never a cookie or the query.
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const ready = await waitForEvent(
      `${url.origin}/api/events`,
      token,
      (e) => e.type === 'brief-ready' || e.type === 'refresh-failed',
      45_000,
    );
    expect(ready).toMatchObject({ type: 'brief-ready', trigger: 'schedule', date: '2026-12-03' });
    const latest = await fetch(`${url.origin}/api/brief/latest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: '{}',
    });
    const brief = ((await latest.json()) as { value: Brief }).value;
    // Written at the slot, not at start (06:29:45) by a catch-up.
    expect(brief.generatedAt >= '2026-12-03T06:30:00').toBe(true);
    expect(brief.generatedAt < '2026-12-03T06:31:00').toBe(true);
  });
});
