import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, Faults, localSettings } from './children.ts';
import { startGatedFeed, type GatedFeed } from './gated-feed.ts';

const faults = new Faults();
let feed: GatedFeed;
const figures = { rounds: 0, briefsLost: 0 };

beforeAll(async () => {
  feed = await startGatedFeed();
});
afterAll(async () => {
  await faults.cleanup();
  await feed.close();
  console.info(`[faults] kill -9 mid-refresh: ${figures.rounds} rounds, ${figures.briefsLost} briefs lost`);
});

function runs(dir: string): { id: string; status: string; error: string | null }[] {
  const db = new Database(join(dir, 'daily-brief.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, status, error FROM runs ORDER BY rowid').all() as never;
  } finally {
    db.close();
  }
}

async function latestBriefId(dir: string): Promise<string | undefined> {
  const shown = await faults.run(['--data-dir', dir, 'show', '--json']);
  return shown.code === 0 ? (JSON.parse(shown.stdout) as { id: string }).id : undefined;
}

describe('a refresh killed mid-way', () => {
  it('loses no brief, leaves no run `running`, and is named by doctor and the status call', async () => {
    const dir = faults.tempDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(localSettings(feed.url)));
    feed.open();
    expect((await faults.run(['--data-dir', dir, 'refresh'])).code).toBe(0);
    const kills: { env: Record<string, string>; held: boolean }[] = [
      { env: {}, held: true },
      { env: {}, held: true },
      // Inside the final write transaction: SQLite rolls it back.
      { env: { DAILY_BRIEF_FAULT: 'kill-at:brief-write' }, held: false },
    ];
    for (const kill of kills) {
      const good = await latestBriefId(dir);
      if (kill.held) feed.hold();
      else feed.open();
      const fetched = feed.count;
      const refresh = faults.cli(['--data-dir', dir, 'refresh'], kill.env);
      if (kill.held) {
        await feed.request(fetched + 1);
        refresh.child.kill('SIGKILL');
      }
      expect((await refresh.exited).signal).toBe('SIGKILL');
      figures.rounds++;
      const cut = runs(dir).at(-1);
      expect(cut?.status).toBe('running');

      // Read-only views name it before anything has marked it.
      const doctor = await faults.run(['--data-dir', dir, 'doctor', '--json']);
      const check = (
        JSON.parse(doctor.stdout) as { checks: { id: string; status: string; detail: string }[] }
      ).checks.find((c) => c.id === 'refresh');
      expect(check?.status).toBe('warn');
      expect(check?.detail).toContain(cut?.id);
      const shown = await latestBriefId(dir);
      if (shown !== good) figures.briefsLost++;
      expect(shown).toBe(good);

      // The next start marks it; the status call names it.
      const serve = faults.cli(['--data-dir', dir, 'serve', '--no-schedule']);
      const url = new URL(await serve.firstLine);
      const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? url.searchParams.get('token') ?? '';
      const status = await apiCall(url.origin, token, 'refresh/status');
      expect(status.body.value).toEqual({
        refreshing: false,
        lastInterrupted: expect.objectContaining({ runId: cut?.id }) as unknown,
      });
      expect(runs(dir).filter((r) => r.status === 'running')).toEqual([]);
      expect(runs(dir).at(-1)).toMatchObject({
        id: cut?.id,
        status: 'failed',
        error: 'interrupted before it finished',
      });
      // The killed process's lease does not block the next refresh.
      feed.open();
      const next = await apiCall(url.origin, token, 'refresh', { trigger: 'ui' });
      expect(next.body.ok).toBe(true);
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  }, 180_000);
});
