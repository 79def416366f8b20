import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser } from 'playwright-core';
import { generatedRssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { sampleStories, startHnServer, type HnServer } from '../fakes/hn-server.ts';
import { BERLIN, startWeatherServer, type WeatherServer } from '../fakes/weather-server.ts';
import { addDays } from '../../core/time.ts';
import { Store } from '../../core/store/store.ts';
import { CLI, runCli } from './cli.ts';

export interface AppFixture {
  dataDir: string;
  settingsPath: string;
  /** The URL `serve` printed, with its token. */
  url: string;
  token: string;
  origin: string;
  feeds: FeedServer;
  close(): Promise<void>;
}

const SOURCE_LATENCY_MS = 250;

/**
 * The app as a user runs it: a data directory whose settings point every source at local fakes (each answering
 * after a short delay, so a refresh has visible progress), one brief written by the real `daily-brief refresh`,
 * and a real `daily-brief serve` child process.
 */
export async function startAppFixture(): Promise<AppFixture> {
  const now = new Date().toISOString();
  const feedBody = (title: string) => generatedRssFeed({ title, count: 6, newest: now });
  const feeds = await startFeedServer({
    tech: { body: feedBody('Tech Daily'), delayMs: SOURCE_LATENCY_MS },
    market: { body: feedBody('Market Wire'), delayMs: SOURCE_LATENCY_MS },
  });
  const hn: HnServer = await startHnServer({ stories: sampleStories(6), latencyMs: SOURCE_LATENCY_MS / 2 });
  const weather: WeatherServer = await startWeatherServer({ latencyMs: SOURCE_LATENCY_MS });
  const dataDir = mkdtempSync(join(tmpdir(), 'db-app-'));
  const settingsPath = join(dataDir, 'settings.json');
  const settings = {
    location: { name: 'Berlin', latitude: BERLIN.latitude, longitude: BERLIN.longitude, timezone: 'Europe/Berlin' },
    sources: {
      rss: {
        feeds: [
          { url: feeds.url('tech'), category: 'tech', name: 'Tech Daily' },
          { url: feeds.url('market'), category: 'market', name: 'Market Wire' },
        ],
      },
      hackernews: { baseUrl: hn.apiBaseUrl, maxStories: 6 },
      weather: { baseUrl: weather.forecastBaseUrl, geocodingBaseUrl: weather.geocodingBaseUrl },
    },
    llm: { provider: 'none' },
    memory: { enabled: false },
  };
  writeFileSync(settingsPath, `${JSON.stringify(settings, null, 2)}\n`);
  await refreshWithCli(dataDir);
  yesterdaysBrief(dataDir);
  await refreshWithCli(dataDir);

  const served = await serveDataDir(dataDir);
  const { url } = served;
  const parsed = new URL(url);
  return {
    dataDir,
    settingsPath,
    url,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    origin: parsed.origin,
    feeds,
    close: async () => {
      await served.close();
      await Promise.all([feeds.close(), hn.close(), weather.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A real `daily-brief serve` child process over a data directory; `url` is the address it printed. */
export async function serveDataDir(
  dataDir: string,
  args: string[] = [],
): Promise<{ url: string; origin: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--no-schedule', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await firstLine(child, () => stderr);
  return { url, origin: new URL(url).origin, close: () => stop(child) };
}

async function refreshWithCli(dataDir: string): Promise<void> {
  const result = await runCli(['--data-dir', dataDir, 'refresh', '--json']);
  if (result.code !== 0) throw new Error(`seeding the brief failed: ${result.stderr}`);
}

/**
 * History needs an earlier day, which a real refresh cannot write: the store gets a copy of the brief dated the
 * day before, without the first item of each section (so those are "new since yesterday" in today's).
 */
function yesterdaysBrief(dataDir: string): void {
  const store = Store.open(dataDir);
  try {
    const brief = store.latestBrief();
    if (!brief) throw new Error('no brief to copy');
    const at = new Date(Date.parse(brief.generatedAt) - 86_400_000).toISOString();
    const date = addDays(brief.date, -1);
    const runId = store.startRun('test', at);
    const sections = brief.sections.map((section) => ({ ...section, items: section.items.slice(1) }));
    store.saveBrief({ ...brief, id: `${brief.id}-yesterday`, date, generatedAt: at, sections }, runId, at);
  } finally {
    store.close();
  }
}

function firstLine(child: ChildProcess & { stdout: NodeJS.ReadableStream }, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      reject(new Error(`daily-brief serve exited (${code ?? 'signal'}) before printing its URL: ${stderr()}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Debian's Chromium, headless. When it cannot start the caller fails with the reason and the fix, on CI and on
 * a developer's machine alike: a browser test that cannot run is never a quiet skip.
 */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  } catch (error) {
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new Error(
      `Chromium could not start from ${executablePath} (${why}). Install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH`,
      { cause: error },
    );
  }
}
