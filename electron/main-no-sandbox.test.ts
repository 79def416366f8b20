import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { app, children, dialog, FakeTray, FakeWindow, home as fakeHome, ipcHandlers } from './fake-electron.ts';

/**
 * main.ts started with Chromium's sandbox off. electron-builder's AppImage launcher does that by itself where it
 * cannot create a user namespace (Ubuntu 23.10+ without the AppArmor profile): the app must say so and quit.
 */
vi.mock('electron', async () => (await import('./fake-electron.ts')).electron);

const home = mkdtempSync(join(tmpdir(), 'db-main-no-sandbox-'));
fakeHome.dir = home;
// vitest clears mock calls before each test: what main did at launch is kept here.
let boxes: unknown[][] = [];

beforeAll(async () => {
  vi.stubEnv('DAILY_BRIEF_HOME', home);
  vi.stubEnv('DAILY_BRIEF_NO_KEYRING', '1');
  app.commandLine.hasSwitch.mockImplementation((name: string) => name === 'no-sandbox');
  await import('./main.ts');
  await vi.waitFor(() => {
    expect(app.quit).toHaveBeenCalled();
  });
  boxes = [...dialog.showErrorBox.mock.calls];
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

describe('electron main, started with --no-sandbox', () => {
  it('says why it will not run and how to fix it, then quits without starting anything', () => {
    expect(boxes).toHaveLength(1);
    const [title, content] = boxes[0] as [string, string];
    expect(title).toBe('Daily Brief cannot start safely');
    expect(content).toContain('sandbox');
    expect(content).toContain('daily-brief-appimage.apparmor');
    expect(content).toContain('.deb');
    // Plain words: no switch names or file paths.
    expect(content).not.toMatch(/--|\/etc\/|\/tmp\//);
    expect(children).toHaveLength(0);
    expect(FakeWindow.all).toHaveLength(0);
    expect(FakeTray.all).toHaveLength(0);
    expect(ipcHandlers.size).toBe(0);
  });
});
