import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, Faults, localSettings, waitForEvent } from './children.ts';
import { startGatedFeed, type GatedFeed } from './gated-feed.ts';

const faults = new Faults();
let feed: GatedFeed;
const ROUNDS = 2;
const figures = { rounds: 0, failed: 0, locked: 0 };
const WAITING = /A refresh is already under way in another Daily Brief; waiting for it/;

beforeAll(async () => {
  feed = await startGatedFeed();
});
afterAll(async () => {
  await faults.cleanup();
  await feed.close();
  console.info(
    `[faults] concurrent refresh: ${figures.rounds} rounds run, ${figures.failed} failed, ${figures.locked} "database is locked"`,
  );
});

function dataDir(): string {
  const dir = faults.tempDir();
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(localSettings(feed.url)));
  return dir;
}

function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = setInterval(() => {
      if (!condition()) return;
      clearInterval(tick);
      resolve();
    }, 50);
  });
}

function tally(failed: boolean, output: string): void {
  figures.rounds++;
  if (failed) figures.failed++;
  figures.locked += (output.match(/locked/g) ?? []).length;
}

describe('refreshes on one data folder are single-flight across processes', () => {
  it('three `daily-brief refresh` at once: all succeed, one refresh fetches, the others wait and print its brief', async () => {
    const dir = dataDir();
    // The first round creates the database; later rounds start on an existing one.
    for (let round = 0; round < ROUNDS; round++) {
      feed.hold();
      const fetched = feed.count;
      const runs = [0, 1, 2].map(() => faults.cli(['--data-dir', dir, 'refresh']));
      // One of them fetches (and is held there); the other two say they wait for it.
      await feed.request(fetched + 1);
      // Bounded either way: two waiting lines (single flight) or a second fetch (two refreshes at once).
      await Promise.race([
        until(() => runs.filter((r) => WAITING.test(r.stderr())).length >= 2),
        feed.request(fetched + 2),
      ]);
      feed.open();
      const exits = await Promise.all(runs.map((r) => r.exited));
      tally(
        exits.some((e) => e.code !== 0),
        runs.map((r) => r.stderr()).join(''),
      );
      expect(runs.filter((r) => r.child.exitCode !== 0).map((r) => r.stderr())).toEqual([]);
      expect(runs.map((r) => r.stderr()).join('')).not.toMatch(/locked/);
      expect(feed.count - fetched).toBe(1);
      expect(new Set(runs.map((r) => r.stdout())).size).toBe(1);
    }
  }, 180_000);

  it('`serve` refreshing through its API and a CLI refresh at once, either first: one fetch, one brief', async () => {
    const dir = dataDir();
    const serve = faults.cli(['--data-dir', dir, 'serve', '--no-schedule']);
    const url = new URL(await serve.firstLine);
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? url.searchParams.get('token') ?? '';
    for (let round = 0; round < ROUNDS; round++) {
      feed.hold();
      const fetched = feed.count;
      let api: ReturnType<typeof apiCall>;
      let cli: ReturnType<Faults['cli']>;
      if (round % 2 === 0) {
        api = apiCall(url.origin, token, 'refresh', { trigger: 'ui' });
        await feed.request(fetched + 1);
        cli = faults.cli(['--data-dir', dir, 'refresh']);
        await Promise.race([cli.waitFor(WAITING, 'stderr'), feed.request(fetched + 2)]);
      } else {
        const notice = waitForEvent(url.origin, token, 'notice');
        cli = faults.cli(['--data-dir', dir, 'refresh']);
        await feed.request(fetched + 1);
        api = apiCall(url.origin, token, 'refresh', { trigger: 'ui' });
        await Promise.race([notice, feed.request(fetched + 2)]);
      }
      feed.open();
      const [answer, exit] = await Promise.all([api, cli.exited]);
      tally(!answer.body.ok || exit.code !== 0, `${cli.stderr()}${JSON.stringify(answer.body)}`);
      expect(answer.body.error).toBeUndefined();
      expect(exit.code).toBe(0);
      expect(cli.stderr()).not.toMatch(/locked|failed/);
      expect(feed.count - fetched).toBe(1);
    }
    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
    expect(serve.stderr()).not.toMatch(/locked/);
  }, 180_000);
});
