import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults, localSettings } from './children.ts';
import { startGatedFeed, type GatedFeed } from './gated-feed.ts';

const faults = new Faults();
let feed: GatedFeed;

beforeAll(async () => {
  feed = await startGatedFeed();
  feed.open();
});
afterAll(async () => {
  await faults.cleanup();
  await feed.close();
});

const briefId = (stdout: string) => (JSON.parse(stdout) as { id: string }).id;

describe('storage errors that tell the truth', () => {
  it('a read-only data folder: says the folder is read-only, never to move the database aside', async () => {
    const mount = faults.mountTmpfs(8192);
    const dir = join(mount.path, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(localSettings(feed.url)));
    const first = await faults.run(['--data-dir', dir, 'refresh', '--json']);
    expect(first.code).toBe(0);
    mount.remount('ro');
    const result = await faults.run(['--data-dir', dir, 'refresh']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^daily-brief: the data folder .* is read-only\b[^\n]*\n$/);
    expect(result.stderr).not.toMatch(/Move the file aside|cannot be read/);
    // What it holds is still shown.
    const shown = await faults.run(['--data-dir', dir, 'show', '--json']);
    expect(shown.stderr).toBe('');
    expect(briefId(shown.stdout)).toBe(briefId(first.stdout));
  }, 60_000);

  it('a full disk: one line that says so and that the previous brief is still served, which it is', async () => {
    const mount = faults.mountTmpfs(8192);
    const dir = join(mount.path, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(localSettings(feed.url)));
    const first = await faults.run(['--data-dir', dir, 'refresh', '--json']);
    expect(first.code).toBe(0);
    // Fill what is left of the disk.
    const filler = join(mount.path, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(16 * 1024 * 1024));
    } catch {
      // ENOSPC: full, as wanted.
    }
    for (let round = 0; round < 2; round++) {
      const full = await faults.run(['--data-dir', dir, 'refresh', '--json']);
      expect(full.code).toBe(1);
      expect(full.stdout).toBe('');
      expect(full.stderr).toMatch(/^daily-brief: [^\n]*disk is full[^\n]*previous brief is still served[^\n]*\n$/);
      const shown = await faults.run(['--data-dir', dir, 'show', '--json']);
      expect(shown.code).toBe(0);
      expect(briefId(shown.stdout)).toBe(briefId(first.stdout));
    }
  }, 60_000);
});
