import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelFor, EVENT_CHANNEL, STANDING_CHANNEL } from './bridge.ts';
import {
  app,
  children,
  fromCore,
  lastPosted,
  posted,
  trusted,
  FakeNotification,
  FakeTray,
  FakeWindow,
  home as fakeHome,
  ipcHandlers,
  Menu,
  openExternal,
  permissionHandler,
  port,
  powerMonitor,
  protocol,
} from './fake-electron.ts';
import { API_CALLS } from './ipc.ts';
import { AUTOSTART_FILE } from './login-item.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron);
vi.mock('./desktop-env.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./desktop-env.ts')>()),
  trayHostAvailable: () => Promise.resolve(true),
}));

/**
 * main.ts wired to a mocked electron module: everything it sets up on launch, and how it reacts to the
 * window, the tray, the power monitor and the core process.
 */
const home = mkdtempSync(join(tmpdir(), 'db-main-'));
fakeHome.dir = home;
// vitest clears mock calls before each test: what main did at launch is kept here.
const launch = {
  lock: 0,
  window: [] as unknown[][],
  portStarted: 0,
  schemes: [] as unknown[][],
  userData: [] as unknown[][],
  permissions: 0,
  protocols: [] as unknown[][],
  switches: [] as unknown[][],
  appMenu: [] as unknown[][],
};
const childPosts: unknown[][] = [];

beforeAll(async () => {
  vi.stubEnv('DAILY_BRIEF_HOME', home);
  // Never the developer's own keyring; and a desktop Chromium would give only basic_text.
  vi.stubEnv('DAILY_BRIEF_NO_KEYRING', '1');
  vi.stubEnv('XDG_CURRENT_DESKTOP', 'sway');
  await import('./main.ts');
  await vi.waitFor(() => {
    expect(FakeWindow.all).toHaveLength(1);
  });
  launch.lock = app.requestSingleInstanceLock.mock.calls.length;
  launch.schemes = [...protocol.registerSchemesAsPrivileged.mock.calls];
  launch.userData = [...app.setPath.mock.calls];
  launch.permissions = permissionHandler.mock.calls.length;
  launch.protocols = [...protocol.handle.mock.calls];
  launch.switches = [...app.commandLine.appendSwitch.mock.calls];
  launch.appMenu = [...Menu.setApplicationMenu.mock.calls];
  childPosts.push(...(children[0]?.postMessage.mock.calls ?? []));
  launch.window = [...(FakeWindow.all[0]?.loadURL.mock.calls ?? [])];
  launch.portStarted = port.start.mock.calls.length;
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

describe('electron main', () => {
  it('takes the single-instance lock, registers app:// as a secure scheme with a code cache, and keeps the data folder', () => {
    expect(launch.lock).toBe(1);
    // codeCache: V8 keeps the compiled UI between launches, as it does for http(s) pages.
    expect(launch.schemes).toEqual([
      [[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]],
    ]);
    expect(launch.userData).toEqual([['userData', home]]);
    expect(launch.permissions).toBe(1);
  });

  it('asks for the libsecret password store before ready on a Linux desktop Chromium does not know', () => {
    if (process.platform === 'linux') expect(launch.switches).toEqual([['password-store', 'gnome-libsecret']]);
    else expect(launch.switches).toEqual([]);
  });

  it('sets a menu with Quit, and a tray icon', () => {
    const [[menu]] = launch.appMenu as [[{ submenu?: { label?: string }[] }[]]];
    expect(menu.flatMap((entry) => entry.submenu ?? []).map((item) => item.label)).toContain('Quit Daily Brief');
    expect(FakeTray.all).toHaveLength(1);
  });

  it('opens a sandboxed window on app://, with the call list for the preload', () => {
    const [window] = FakeWindow.all;
    expect(launch.window).toEqual([['app://daily-brief/index.html']]);
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(window?.options.webPreferences.additionalArguments).toEqual([
      `--daily-brief-calls=${JSON.stringify(API_CALLS)}`,
    ]);
  });

  it('serves the renderer with the CSP on every answer', async () => {
    const [[scheme, handler]] = launch.protocols as [[string, (request: { url: string }) => Promise<Response>]];
    expect(scheme).toBe('app');
    const response = await handler({ url: 'app://daily-brief/index.html' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self';/);
  });

  it('starts the core in a utilityProcess and hands it a MessagePort', () => {
    expect(children).toHaveLength(1);
    expect(children[0]?.path.endsWith(join('electron', 'core-host.js'))).toBe(true);
    // Piped: in a packaged app there is no terminal, and its last words are the reason a core died.
    expect(children[0]?.options.stdio).toBe('pipe');
    expect(childPosts).toEqual([[{ kind: 'port' }, [{ transferred: true }]]]);
    expect(launch.portStarted).toBe(1);
  });

  it('forwards a checked call from the page to the core and its answer back', async () => {
    expect([...ipcHandlers.keys()].sort()).toEqual([...API_CALLS.map(channelFor), STANDING_CHANNEL].sort());
    const answer = ipcHandlers.get(channelFor('brief/byDate'))?.(trusted, { date: '2026-12-01' });
    const call = await lastPosted('call');
    expect(call).toMatchObject({ kind: 'call', call: 'brief/byDate', args: { date: '2026-12-01' } });
    fromCore({ kind: 'result', id: call?.id, result: { ok: true, value: { id: 'b1' } } });
    expect(await answer).toEqual({ ok: true, value: { id: 'b1' } });
    const before = posted().length;
    const refused = await ipcHandlers.get(channelFor('brief/latest'))?.({ senderFrame: null }, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(posted()).toHaveLength(before);
  });

  it('gives connecting an account the long-call limit: the consent page may take minutes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const connecting = ipcHandlers.get(channelFor('accounts/connect'))?.(trusted, { provider: 'google' });
      const status = ipcHandlers.get(channelFor('sources/status'))?.(trusted, {});
      await vi.advanceTimersByTimeAsync(0);
      const [connect] = posted().filter((message) => message.call === 'accounts/connect');
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      expect(await status).toMatchObject({ ok: false, error: { code: 'timeout' } });
      fromCore({ kind: 'result', id: connect?.id, result: { ok: true, value: { address: 'me@example.com' } } });
      expect(await connecting).toEqual({ ok: true, value: { address: 'me@example.com' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('replays the standing problems to a page that subscribes late, until settings are applied', async () => {
    const standing = (sender: unknown) => ipcHandlers.get(STANDING_CHANNEL)?.(sender, undefined);
    const invalid = { type: 'settings-invalid', message: 'settings.json: schedule.dailyAt is not a time' };
    fromCore({ kind: 'event', event: invalid });
    expect(await standing(trusted)).toEqual([invalid]);
    expect(await standing({ senderFrame: { url: 'https://evil.example/', parent: null } })).toEqual([]);
    fromCore({ kind: 'event', event: { type: 'settings-applied' } });
    expect(await standing(trusted)).toEqual([]);
  });

  it('locks down every web contents that is created', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    app.emit('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    const navigation = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-navigate', navigation);
    expect(navigation.preventDefault).toHaveBeenCalled();
  });

  it('tells the core when the machine wakes, so it can catch up', () => {
    powerMonitor.emit('resume');
    expect(posted().at(-1)).toEqual({ kind: 'resume' });
  });

  it('has a tray with Open, Refresh now and Quit', async () => {
    const [tray] = FakeTray.all;
    expect(tray?.menu.map((item) => item.label)).toEqual(['Open Daily Brief', 'Refresh now', undefined, 'Quit']);
    tray?.menu[1]?.click?.();
    expect(await lastPosted('call')).toMatchObject({ kind: 'call', call: 'refresh', args: { trigger: 'tray' } });
    fromCore({ kind: 'event', event: { type: 'phase', phase: 'fetch' } });
    expect(tray?.menu[1]?.label).toBe('Refreshing…');
  });

  it('hides the window on close and keeps running', () => {
    const [window] = FakeWindow.all;
    const close = { preventDefault: vi.fn() };
    window?.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(window?.hide).toHaveBeenCalled();
    app.emit('window-all-closed');
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('notifies when a new brief is ready; clicking opens it', () => {
    const [window] = FakeWindow.all;
    const ready = {
      type: 'brief-ready',
      briefId: 'b7',
      date: '2026-12-01',
      dataAsOf: '2026-12-01T05:30:00.000Z',
      timezone: 'Europe/Berlin',
      trigger: 'schedule',
      headline: 'Markets: stocks up',
    };
    fromCore({ kind: 'event', event: ready });
    expect(window?.webContents.send).toHaveBeenCalledWith(EVENT_CHANNEL, ready);
    expect(FakeNotification.all.map((n) => n.options.title)).toEqual([
      'Your brief for 2026-12-01 is ready (data as of 06:30)',
    ]);
    expect(FakeTray.all[0]?.menu[1]?.label).toBe('Refresh now');
    // Held by main until clicked: Electron's own reference is weak.
    expect(FakeNotification.all[0]?.listenerCount('click')).toBeGreaterThan(1);
    FakeNotification.all[0]?.emit('click');
    expect(window?.show).toHaveBeenCalled();
    expect(window?.webContents.send).toHaveBeenLastCalledWith(EVENT_CHANNEL, {
      type: 'open-brief',
      date: '2026-12-01',
    });
    fromCore({ kind: 'event', event: ready });
    expect(FakeNotification.all).toHaveLength(1);
  });

  it('applies desktop.startAtLogin when the core reports the settings', async () => {
    fromCore({ kind: 'event', event: { type: 'settings-applied', desktop: { startAtLogin: true } } });
    if (process.platform === 'linux') {
      await vi.waitFor(() => {
        expect(readFileSync(join(home, 'autostart', AUTOSTART_FILE), 'utf8')).toContain('--hidden');
      });
    } else expect(app.setLoginItemSettings).toHaveBeenCalled();
  });

  it('keeps the core’s account tokens with safeStorage, encrypted, and opens consent pages in the browser', async () => {
    fromCore({ kind: 'secret', id: 1, op: 'set', key: 'google:me@example.com', value: 'refresh-token-42' });
    await vi.waitFor(() => {
      expect(posted().at(-1)).toEqual({ kind: 'secret-result', id: 1, result: { ok: true, value: null } });
    });
    const file = readFileSync(join(home, 'secrets.safestorage.json'), 'utf8');
    expect(Object.keys(JSON.parse(file) as object)).toEqual(['google:me@example.com']);
    expect(file).not.toContain('refresh-token-42');
    fromCore({ kind: 'secret', id: 2, op: 'get', key: 'google:me@example.com' });
    await vi.waitFor(() => {
      expect(posted().at(-1)).toEqual({
        kind: 'secret-result',
        id: 2,
        result: { ok: true, value: 'refresh-token-42' },
      });
    });
    fromCore({ kind: 'open-external', url: 'https://accounts.google.com/o/oauth2/v2/auth?x=1' });
    fromCore({ kind: 'open-external', url: 'file:///etc/passwd' });
    expect(openExternal.mock.calls).toEqual([['https://accounts.google.com/o/oauth2/v2/auth?x=1']]);
  });

  it('restarts the core if it dies, failing the calls it had', async () => {
    const waiting = ipcHandlers.get(channelFor('sources/status'))?.(trusted, {});
    await lastPosted('call');
    children[0]?.emit('exit', 9);
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'core_exited' } });
    expect(children).toHaveLength(2);
  });

  it('shows the window when a second instance starts', () => {
    const [window] = FakeWindow.all;
    window?.show.mockClear();
    app.emit('second-instance');
    expect(window?.show).toHaveBeenCalled();
  });

  it('on quit, stops the core cleanly first, then quits for real', () => {
    const quit = { preventDefault: vi.fn() };
    app.emit('before-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    expect(posted().at(-1)).toEqual({ kind: 'stop' });
    expect(app.quit).not.toHaveBeenCalled();
    fromCore({ kind: 'stopped' });
    return vi.waitFor(() => {
      expect(app.quit).toHaveBeenCalledTimes(1);
    });
  });
});
