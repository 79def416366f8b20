import type { BriefReadyEvent } from '../contract/events.ts';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applyStartAtLogin, AUTOSTART_FILE, autostartEntry, startsHidden } from './login-item.ts';
import { briefNotice, holdUntilDone } from './notify.ts';
import { claimSingleInstance } from './single-instance.ts';
import { appMenuTemplate, refreshingAfter, trayMenuTemplate } from './tray.ts';
import { keepOnClose, windowPreferences } from './window.ts';

describe('window', () => {
  it('is isolated, sandboxed and without Node, with only our preload and the call list', () => {
    const prefs = windowPreferences('/app/out/preload/index.cjs', '--daily-brief-calls=["refresh"]', false);
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      additionalArguments: ['--daily-brief-calls=["refresh"]'],
    });
  });

  it('hides on close and stays in the tray, unless the app is quitting', () => {
    const window = Object.assign(new EventEmitter(), { hide: vi.fn(), minimize: vi.fn() });
    let quitting = false;
    keepOnClose(window as unknown as Pick<BrowserWindow, 'on' | 'hide' | 'minimize'>, {
      quitting: () => quitting,
      trayVisible: () => true,
    });
    const close = () => {
      const event = { preventDefault: vi.fn() };
      window.emit('close', event);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(close()).toBe(true);
    expect(window.hide).toHaveBeenCalledTimes(1);
    quitting = true;
    expect(close()).toBe(false);
    expect(window.hide).toHaveBeenCalledTimes(1);
    expect(window.minimize).not.toHaveBeenCalled();
  });

  it('minimises on close where no tray icon is seen, so the window can come back', () => {
    const window = Object.assign(new EventEmitter(), { hide: vi.fn(), minimize: vi.fn() });
    let trayVisible = false;
    keepOnClose(window as unknown as Pick<BrowserWindow, 'on' | 'hide' | 'minimize'>, {
      quitting: () => false,
      trayVisible: () => trayVisible,
    });
    const event = { preventDefault: vi.fn() };
    window.emit('close', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(window.minimize).toHaveBeenCalledTimes(1);
    expect(window.hide).not.toHaveBeenCalled();
    trayVisible = true; // found out after the window was made
    window.emit('close', { preventDefault: vi.fn() });
    expect(window.hide).toHaveBeenCalledTimes(1);
  });
});

describe('app menu', () => {
  it('has Quit on every platform: in the app menu on macOS, in File elsewhere', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const quit = vi.fn();
      const [first] = appMenuTemplate(platform, { refresh: vi.fn(), quit });
      const items = first?.submenu as { label?: string; accelerator?: string; click?: () => void }[];
      const item = items.find((entry) => entry.label === 'Quit Daily Brief');
      expect(item?.accelerator, platform).toBe('CmdOrCtrl+Q');
      item?.click?.();
      expect(quit, platform).toHaveBeenCalledTimes(1);
    }
  });
});

describe('single instance', () => {
  function fakeApp(locked: boolean) {
    const emitter = new EventEmitter();
    return Object.assign(emitter, { requestSingleInstanceLock: () => locked, quit: vi.fn() });
  }

  it('the first instance keeps the lock and shows its window when a second one starts', () => {
    const app = fakeApp(true);
    const show = vi.fn();
    expect(claimSingleInstance(app as unknown as App, show)).toBe(true);
    app.emit('second-instance');
    expect(show).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('a second instance quits at once', () => {
    const app = fakeApp(false);
    expect(claimSingleInstance(app as unknown as App, vi.fn())).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('tray', () => {
  it('offers Open, Refresh now and Quit, wired to their actions', () => {
    const actions = { open: vi.fn(), refresh: vi.fn(), quit: vi.fn() };
    const menu = trayMenuTemplate(actions, { refreshing: false });
    expect(menu.map((item) => item.label ?? item.type)).toEqual([
      'Open Daily Brief',
      'Refresh now',
      'separator',
      'Quit',
    ]);
    for (const item of menu) (item.click as (() => void) | undefined)?.();
    expect([actions.open, actions.refresh, actions.quit].map((fn) => fn.mock.calls.length)).toEqual([1, 1, 1]);
    const busy = trayMenuTemplate(actions, { refreshing: true });
    expect(busy[1]).toMatchObject({ label: 'Refreshing…', enabled: false });
  });

  it('follows the refresh from the core’s events', () => {
    let refreshing = refreshingAfter({ type: 'phase', phase: 'fetch' } as { type: string }, false);
    expect(refreshing).toBe(true);
    refreshing = refreshingAfter({ type: 'llm-token' }, refreshing);
    expect(refreshing).toBe(true);
    expect(refreshingAfter({ type: 'brief-ready' }, refreshing)).toBe(false);
    expect(refreshingAfter({ type: 'refresh-failed' }, refreshing)).toBe(false);
    // Leaving the sample day mid-refresh: its end is never heard, so the tray must not stay on "Refreshing…".
    expect(refreshingAfter({ type: 'mode' }, refreshing)).toBe(false);
  });
});

describe('notifications', () => {
  const ready: BriefReadyEvent = {
    type: 'brief-ready' as const,
    briefId: 'b1',
    date: '2026-12-01',
    generatedAt: '2026-12-01T05:30:40.000Z',
    dataAsOf: '2026-12-01T05:30:12.000Z',
    timezone: 'Europe/Berlin',
    trigger: 'schedule',
    headline: 'Email: <b>Renewal</b>\n review moved to 15:00 <a href="https://evil.example">&',
  };

  it('says a new brief is ready, with the time of its data and the first headline with any markup stripped', () => {
    expect(briefNotice(ready, { lastNotifiedId: undefined, windowFocused: true })).toEqual({
      title: 'Your brief for 2026-12-01 is ready (data as of 06:30)',
      body: 'Email: Renewal review moved to 15:00',
      date: '2026-12-01',
    });
  });

  it('is not repeated for the same brief, nor shown for a refresh the user just asked for in the window', () => {
    expect(briefNotice(ready, { lastNotifiedId: 'b1', windowFocused: false })).toBeUndefined();
    expect(
      briefNotice({ ...ready, trigger: 'ui' }, { lastNotifiedId: undefined, windowFocused: true }),
    ).toBeUndefined();
    expect(briefNotice({ ...ready, trigger: 'ui' }, { lastNotifiedId: undefined, windowFocused: false })).toBeDefined();
    expect(
      briefNotice({ type: 'refresh-failed', message: 'offline' }, { lastNotifiedId: undefined, windowFocused: false }),
    ).toBeUndefined();
  });

  it('is never shown for a brief of the sample day', () => {
    expect(
      briefNotice({ ...ready, sample: true }, { lastNotifiedId: undefined, windowFocused: false }),
    ).toBeUndefined();
  });

  it('cuts a long headline', () => {
    const notice = briefNotice(
      { ...ready, headline: 'x'.repeat(500) },
      { lastNotifiedId: undefined, windowFocused: false },
    );
    expect(notice?.body).toHaveLength(160);
    expect(notice?.body.endsWith('…')).toBe(true);
  });
});

describe('notification references', () => {
  it('holds each shown notification until it is clicked, closed or failed', () => {
    const held = new Set<EventEmitter>();
    const [clicked, closed, failed, waiting] = [1, 2, 3, 4].map(() => holdUntilDone(held, new EventEmitter()));
    expect(held.size).toBe(4);
    clicked?.emit('click');
    closed?.emit('close');
    failed?.emit('failed');
    expect([...held]).toEqual([waiting]);
  });
});

describe('start at login', () => {
  it('on Linux writes and removes an XDG autostart entry that starts the app hidden', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-autostart-'));
    const deps = {
      platform: 'linux' as const,
      setLoginItemSettings: vi.fn(),
      executable: '/opt/Daily Brief/daily-brief "x"',
      autostartDir: join(dir, 'autostart'),
    };
    try {
      await applyStartAtLogin(true, deps);
      const file = join(deps.autostartDir, AUTOSTART_FILE);
      expect(readFileSync(file, 'utf8')).toBe(autostartEntry(deps.executable));
      expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Daily Brief/daily-brief \\"x\\"" --hidden\n');
      expect(statSync(file).mode & 0o777).toBe(0o644);
      await applyStartAtLogin(false, deps);
      expect(() => statSync(file)).toThrow();
      await applyStartAtLogin(false, deps); // already off: nothing to do, no error
      expect(deps.setLoginItemSettings).not.toHaveBeenCalled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on Windows uses the OS login item with --hidden; on macOS one without args, which macOS ignores', async () => {
    const items = { darwin: vi.fn(), win32: vi.fn() };
    for (const platform of ['darwin', 'win32'] as const) {
      const setLoginItemSettings = items[platform];
      await applyStartAtLogin(true, { platform, setLoginItemSettings, executable: 'x', autostartDir: '/nonexistent' });
      await applyStartAtLogin(false, { platform, setLoginItemSettings, executable: 'x', autostartDir: '/nonexistent' });
    }
    expect(items.win32.mock.calls).toEqual([
      [{ openAtLogin: true, args: ['--hidden'] }],
      [{ openAtLogin: false, args: ['--hidden'] }],
    ]);
    expect(items.darwin.mock.calls).toEqual([[{ openAtLogin: true }], [{ openAtLogin: false }]]);
  });

  it('starts hidden when the login item started it: --hidden, or on macOS wasOpenedAtLogin', () => {
    const atLogin = () => ({ openAtLogin: true, wasOpenedAtLogin: true });
    const byUser = () => ({ openAtLogin: true, wasOpenedAtLogin: false });
    expect(startsHidden(['/app', '--hidden'], 'linux', byUser)).toBe(true);
    expect(startsHidden(['/app', '--hidden'], 'win32', byUser)).toBe(true);
    expect(startsHidden(['/app'], 'darwin', atLogin)).toBe(true);
    expect(startsHidden(['/app'], 'darwin', byUser)).toBe(false);
    expect(startsHidden(['/app'], 'linux', byUser)).toBe(false);
    // wasOpenedAtLogin is macOS-only: elsewhere it is not asked.
    expect(startsHidden(['/app'], 'win32', atLogin)).toBe(false);
  });
});
