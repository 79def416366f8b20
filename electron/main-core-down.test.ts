import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelFor, EVENT_CHANNEL, STANDING_CHANNEL } from './bridge.ts';
import {
  children,
  dialog,
  FakeWindow,
  fromCore,
  home as fakeHome,
  ipcHandlers,
  showItemInFolder,
  trusted,
} from './fake-electron.ts';

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
    // As core-host.ts says it: plain words for the window, the error itself (with its path) on stderr.
    const failed = {
      type: 'core-failed',
      message: 'its database could not be opened',
      hint: 'Check that its data folder is there and writable for you (the log file names it), then start Daily Brief again',
    };
    // The user asks to see the log file.
    dialog.showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false });
    for (let attempt = 0; attempt < 4; attempt++) {
      const child = children[attempt];
      fromCore({ kind: 'event', event: failed });
      child?.stderr.emit(
        'data',
        Buffer.from(
          `the app's core could not start: could not open the database at ${home}/daily-brief.db. Check that the data directory exists and is writable, or pass --data-dir\n`,
        ),
      );
      child?.stderr.emit('data', Buffer.from(`Error: SQLITE_CANTOPEN\n    at open (${home}/out/main/store.js:1:1)\n`));
      child?.emit('exit', 1);
    }
    expect(children).toHaveLength(4);

    const answer = await ipcHandlers.get(channelFor('sources/status'))?.(trusted, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'core_down' } });
    if (answer?.ok === false) expect(answer.error.message).not.toMatch(/core/);

    const [window] = FakeWindow.all;
    expect(window?.webContents.send).toHaveBeenLastCalledWith(EVENT_CHANNEL, expect.objectContaining(failed));
    // A page that loads later still hears it.
    expect(await ipcHandlers.get(STANDING_CHANNEL)?.(trusted, undefined)).toEqual([expect.objectContaining(failed)]);

    // The error box: what failed and what to do, then the last lines without paths or stack frames.
    expect(dialog.showErrorBox).not.toHaveBeenCalled();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const box = dialog.showMessageBox.mock.calls[0]?.[0] as { message: string; detail: string; buttons: string[] };
    expect(box.message).toBe('Daily Brief stopped working: its database could not be opened.');
    expect(box.detail).toMatch(/^Check that its data folder is there and writable for you/);
    expect(box.detail).toContain('could not open the database at …/daily-brief.db');
    expect(box.detail).toContain('Error: SQLITE_CANTOPEN');
    expect(`${box.message}${box.detail}`).not.toContain(home);
    expect(box.detail).not.toContain('    at ');
    expect(box.buttons).toEqual(['Close', 'Show the log file']);

    // The log file has it all, paths and stack frames too; the box's button shows it.
    const log = join(home, 'logs', 'daily-brief.log');
    await vi.waitFor(() => {
      expect(showItemInFolder).toHaveBeenCalledWith(log);
    });
    const logged = readFileSync(log, 'utf8');
    expect(logged).toContain(`${home}/daily-brief.db`);
    expect(logged).toContain(`at open (${home}/out/main/store.js:1:1)`);
  });
});
