import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelFor, EVENT_CHANNEL, STANDING_CHANNEL } from './bridge.ts';
import { children, dialog, FakeWindow, fromCore, home as fakeHome, ipcHandlers, trusted } from './fake-electron.ts';

/** main.ts when its core will not run: it restarts it, then gives up and says why, everywhere it can. */
vi.mock('electron', async () => (await import('./fake-electron.ts')).electron);
vi.mock('./desktop-env.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./desktop-env.ts')>()),
  trayHostAvailable: () => Promise.resolve(true),
}));

const home = mkdtempSync(join(tmpdir(), 'db-main-down-'));
fakeHome.dir = home;

beforeAll(async () => {
  vi.stubEnv('DAILY_BRIEF_HOME', home);
  vi.stubEnv('DAILY_BRIEF_NO_KEYRING', '1');
  await import('./main.ts');
  await vi.waitFor(() => {
    expect(FakeWindow.all).toHaveLength(1);
  });
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

describe('electron main, when the core cannot start', () => {
  it('restarts it three times, then gives up: calls fail at once, the page and the user hear why', async () => {
    const failed = { type: 'core-failed', message: 'could not open the database (disk full)' };
    for (let attempt = 0; attempt < 4; attempt++) {
      const child = children[attempt];
      fromCore({ kind: 'event', event: failed });
      child?.stderr.emit(
        'data',
        Buffer.from("the app's core could not start: could not open the database (disk full)\n"),
      );
      child?.stderr.emit('data', Buffer.from('Error: SQLITE_FULL\n    at open (store.js:1:1)\n'));
      child?.emit('exit', 1);
    }
    expect(children).toHaveLength(4);

    const answer = await ipcHandlers.get(channelFor('sources/status'))?.(trusted, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'core_down' } });

    const [window] = FakeWindow.all;
    expect(window?.webContents.send).toHaveBeenLastCalledWith(
      EVENT_CHANNEL,
      expect.objectContaining({ type: 'core-failed', message: failed.message }),
    );
    // A page that loads later still hears it.
    expect(await ipcHandlers.get(STANDING_CHANNEL)?.(trusted, undefined)).toEqual([
      expect.objectContaining({ type: 'core-failed', message: failed.message }),
    ]);

    expect(dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, content] = dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toBe('Daily Brief could not start');
    expect(content).toContain(failed.message);
    expect(content).toContain('Error: SQLITE_FULL');
    expect(content).not.toContain('    at ');

    const log = join(home, 'logs', 'daily-brief.log');
    await vi.waitFor(() => {
      expect(existsSync(log) && readFileSync(log, 'utf8')).toContain('SQLITE_FULL');
    });
  });
});
