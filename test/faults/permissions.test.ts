import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, Faults, localSettings } from './children.ts';
import { startGatedFeed, type GatedFeed } from './gated-feed.ts';

const faults = new Faults();
let feed: GatedFeed;
const figures = { files: 0, notPrivate: 0 };

beforeAll(async () => {
  feed = await startGatedFeed();
  feed.open();
});
afterAll(async () => {
  await faults.cleanup();
  await feed.close();
  console.info(
    `[faults] data folder: ${figures.files} files checked, ${figures.notPrivate} not 0600 (folders not 0700)`,
  );
});

/** Every file and folder under dir whose mode lets anyone but the owner in. */
function notPrivate(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    figures.files++;
    const want = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== want) found.push(`${path.slice(dir.length) || '/'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  figures.notPrivate += found.length;
  return found;
}

describe('the data folder is private whatever the umask', () => {
  it('creates the folder 0700 and every file in it 0600 under umask 022 (refresh, demo, serve settings, logs)', async () => {
    const dir = join(faults.tempDir(), 'fresh');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(localSettings(feed.url)), { mode: 0o644 });
    // Created by an old version or by hand: tightened, and said once.
    const first = await faults.run(['--data-dir', dir, 'refresh'], {}, '022');
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^daily-brief: made 2 files and folders in the data folder private/m);
    expect((await faults.run(['--data-dir', dir, 'refresh', '--demo'], {}, '022')).code).toBe(0);
    const serve = faults.cli(['--data-dir', dir, 'serve', '--no-schedule'], {}, '022');
    const url = new URL(await serve.firstLine);
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const settings = await apiCall(url.origin, token, 'settings/get');
    const saved = await apiCall(url.origin, token, 'settings/save', {
      settings: (settings.body.value as { settings: unknown }).settings,
    });
    expect(saved.body.ok).toBe(true);
    serve.child.kill('SIGTERM');
    await serve.exited;
    const again = await faults.run(['--data-dir', dir, 'show'], {}, '022');
    expect(again.stderr).not.toMatch(/private/);
    expect(notPrivate(dir)).toEqual([]);
  }, 120_000);
});
