import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDaemon } from '../../cli/daemon-run.ts';
import { AppRuntime } from '../../app/runtime.ts';
import { LAST_RUN_KEY } from '../../app/scheduler.ts';
import { BriefService } from '../../app/service.ts';
import { parseSettings } from '../../core/settings.ts';
import type { Brief } from '../../core/types.ts';
import { generatedRssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.ts';
import { CLI, runCli } from '../helpers/cli.ts';
import { fakeConnector, newsItem } from '../helpers/fake-connectors.ts';

const ZONE = 'Europe/Berlin';

/** The real `daily-brief daemon` in a child process, read line by line. */
function startDaemon(dir: string) {
  const child: ChildProcess = spawn(process.execPath, [CLI, '--data-dir', dir, 'daemon'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) waiter.resolve();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout)) {
          resolve();
          return;
        }
        waiters.push({ pattern, resolve });
        void exited.then(() => {
          reject(new Error(`daemon exited before ${pattern}: ${stdout}${stderr}`));
        });
      }),
  };
}

describe('daily-brief daemon (child process)', () => {
  let dir: string;
  let feeds: FeedServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'db-daemon-'));
    feeds = await startFeedServer({
      wire: { body: generatedRssFeed({ title: 'Wire', count: 3, newest: new Date().toISOString() }) },
    });
    const settings = {
      location: { name: 'Berlin', latitude: 52.52, longitude: 13.405, timezone: ZONE },
      sources: {
        rss: { feeds: [{ url: feeds.url('wire'), category: 'tech', name: 'Wire' }] },
        hackernews: { enabled: false },
        weather: { enabled: false },
      },
      llm: { provider: 'none' },
      memory: { enabled: false },
      schedule: { dailyAt: '06:30' },
    };
    // Private from the start, as the app keeps its folder: no one-time "made … private" notice in the output.
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings), { mode: 0o600 });
  });

  afterAll(async () => {
    await feeds.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up at once when the daily time was missed, then stops cleanly on SIGTERM', async () => {
    const daemon = startDaemon(dir);
    await daemon.waitFor(/brief ready \(catch-up\): \d{4}-\d{2}-\d{2}, data as of /);
    await daemon.waitFor(/next refresh at \d{4}-\d{2}-\d{2} 06:30 \(Europe\/Berlin\)/);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    const { stdout, stderr } = daemon.output();
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toBe('daily-brief daemon: daily at 06:30 (Europe/Berlin)');
    expect(stdout.trim().split('\n').at(-1)).toBe('stopped');
    expect(feeds.requestsFor('wire')).toHaveLength(1);

    const shown = await runCli(['--data-dir', dir, 'show', '--json']);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as Brief).sections[0]?.items).toHaveLength(3);
  });

  it('does not refresh again on the next launch once the slot is covered, and stops on SIGINT', async () => {
    const daemon = startDaemon(dir);
    await daemon.waitFor(/next refresh at /);
    daemon.child.kill('SIGINT');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(daemon.output().stdout).not.toMatch(/brief ready/);
    expect(feeds.requestsFor('wire')).toHaveLength(1);
  });
});

describe('runDaemon with a fake clock', () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.useRealTimers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refreshes at the daily time, re-reads the schedule on reload, and fires no more once stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T05:29:50Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    dir = mkdtempSync(join(tmpdir(), 'db-daemon-clock-'));
    const news = fakeConnector('wire', { items: [newsItem('wire', 1)] });
    let dailyAt = '06:30';
    const loaded = () => ({
      settings: parseSettings({
        location: { name: 'Berlin', latitude: 52.5, longitude: 13.4, timezone: ZONE },
        schedule: { dailyAt },
      }),
      fromFile: true,
      locationSet: true,
    });
    const seed = new BriefService({ dataDir: dir, memory: false, settings: loaded() });
    seed.state.putValue(LAST_RUN_KEY, '2026-11-30T05:30:00.000Z');
    seed.close();
    makePrivate(dir);
    const lines: string[] = [];
    const stop = new AbortController();
    const runtime = await AppRuntime.start({
      dataDir: dir,
      memory: false,
      connectors: [news.connector],
      readSettings: loaded,
      invalidAtStart: 'fail',
      report: (line) => lines.push(line),
    });
    const done = runDaemon({ runtime, stop: stop.signal, out: (line) => lines.push(line) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(lines).toEqual([
      'daily-brief daemon: daily at 06:30 (Europe/Berlin)',
      'next refresh at 2026-12-01 06:30 (Europe/Berlin)',
    ]);
    await vi.advanceTimersByTimeAsync(10_000);
    // Real time for the refresh itself (its modules load on first use), fake time for the schedule.
    await vi.waitFor(
      () => {
        expect(lines.some((l) => l.startsWith('brief ready'))).toBe(true);
      },
      { timeout: 15_000 },
    );
    expect(lines.slice(2)).toEqual([
      'brief ready (schedule): 2026-12-01, data as of 2026-12-01 06:30',
      'next refresh at 2026-12-02 06:30 (Europe/Berlin)',
    ]);
    expect(news.state.calls).toBe(1);

    dailyAt = '07:15';
    await runtime.reloadSettings();
    await vi.waitFor(() => {
      expect(lines.at(-1)).toBe('next refresh at 2026-12-01 07:15 (Europe/Berlin)');
    });
    stop.abort();
    await done;
    expect(lines.at(-1)).toBe('stopped');
    await vi.advanceTimersByTimeAsync(2 * 86_400_000);
    expect(news.state.calls).toBe(1);
  });
});

/** What the app's own folder looks like after its first start (the seed above ran in this test's process). */
function makePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) makePrivate(path);
    else chmodSync(path, 0o600);
  }
}
