import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channelFor, EVENT_CHANNEL, type Envelope } from './bridge.ts';
import { API_CALLS } from './ipc.ts';
import { AUTOSTART_FILE } from './login-item.ts';

/**
 * main.ts wired to a mocked electron module: everything it sets up on launch, and how it reacts to the
 * window, the tray, the power monitor and the core process.
 */
const home = mkdtempSync(join(tmpdir(), 'db-main-'));

class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  readonly options: { webPreferences: Record<string, unknown> };
  readonly webContents = { send: vi.fn() };
  readonly loadURL = vi.fn(() => Promise.resolve());
  readonly show = vi.fn();
  readonly hide = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  constructor(options: { webPreferences: Record<string, unknown> }) {
    super();
    this.options = options;
    FakeWindow.all.push(this);
  }
  isMinimized = () => false;
  isDestroyed = () => false;
  isFocused = () => false;
}

class FakeNotification extends EventEmitter {
  static all: FakeNotification[] = [];
  static isSupported = () => true;
  readonly show = vi.fn();
  readonly options: { title: string; body: string };
  constructor(options: { title: string; body: string }) {
    super();
    this.options = options;
    FakeNotification.all.push(this);
  }
}

class FakeTray extends EventEmitter {
  static all: FakeTray[] = [];
  menu: { label?: string; click?: () => void }[] = [];
  readonly setToolTip = vi.fn();
  constructor() {
    super();
    FakeTray.all.push(this);
  }
  setContextMenu(menu: { label?: string; click?: () => void }[]) {
    this.menu = menu;
  }
}

const port = Object.assign(new EventEmitter(), { postMessage: vi.fn(), start: vi.fn() });
const children: (EventEmitter & { path: string; postMessage: ReturnType<typeof vi.fn> })[] = [];
const ipcHandlers = new Map<string, (event: unknown, args: unknown) => Promise<Envelope>>();
const app = Object.assign(new EventEmitter(), {
  isPackaged: true,
  setPath: vi.fn(),
  getPath: () => home,
  getAppPath: () => join(import.meta.dirname, '..'),
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  whenReady: () => Promise.resolve(),
  setLoginItemSettings: vi.fn(),
});
const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
const powerMonitor = new EventEmitter();
const permissionHandler = vi.fn();
const openExternal = vi.fn((_url: string) => Promise.resolve());

vi.mock('electron', () => ({
  app,
  BrowserWindow: FakeWindow,
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<Envelope>) => ipcHandlers.set(channel, fn),
  },
  Menu: { buildFromTemplate: (template: unknown) => template },
  MessageChannelMain: class {
    port1 = port;
    port2 = { transferred: true };
  },
  nativeImage: { createFromPath: (path: string) => ({ path }) },
  Notification: FakeNotification,
  powerMonitor,
  protocol,
  session: {
    defaultSession: {
      setPermissionRequestHandler: permissionHandler,
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    },
  },
  shell: { openExternal },
  safeStorage: {
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`enc:${Buffer.from(text).toString('hex')}`)),
    decryptStringAsync: (data: Buffer) =>
      Promise.resolve({ shouldReEncrypt: false, result: Buffer.from(data.toString().slice(4), 'hex').toString() }),
  },
  Tray: FakeTray,
  utilityProcess: {
    fork: vi.fn((path: string) => {
      const child = Object.assign(new EventEmitter(), { path, postMessage: vi.fn() });
      children.push(child);
      return child;
    }),
  },
}));

const posted = () => port.postMessage.mock.calls.map(([message]) => message as Record<string, unknown>);
const fromCore = (data: unknown) => port.emit('message', { data });
const trusted = { senderFrame: { url: 'app://daily-brief/index.html', parent: null } };
/** The call main posted to the core last, once it has (arguments are checked asynchronously first). */
const lastPosted = async (kind: string) => {
  await vi.waitFor(() => {
    expect(posted().at(-1)?.kind).toBe(kind);
  });
  return posted().at(-1);
};
// vitest clears mock calls before each test: what main did at launch is kept here.
const launch = {
  lock: 0,
  window: [] as unknown[][],
  portStarted: 0,
  schemes: [] as unknown[][],
  userData: [] as unknown[][],
  permissions: 0,
  protocols: [] as unknown[][],
};
const childPosts: unknown[][] = [];

beforeAll(async () => {
  vi.stubEnv('DAILY_BRIEF_HOME', home);
  await import('./main.ts');
  await vi.waitFor(() => {
    expect(FakeWindow.all).toHaveLength(1);
  });
  launch.lock = app.requestSingleInstanceLock.mock.calls.length;
  launch.schemes = [...protocol.registerSchemesAsPrivileged.mock.calls];
  launch.userData = [...app.setPath.mock.calls];
  launch.permissions = permissionHandler.mock.calls.length;
  launch.protocols = [...protocol.handle.mock.calls];
  childPosts.push(...(children[0]?.postMessage.mock.calls ?? []));
  launch.window = [...(FakeWindow.all[0]?.loadURL.mock.calls ?? [])];
  launch.portStarted = port.start.mock.calls.length;
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

describe('electron main', () => {
  it('takes the single-instance lock, registers app:// as a secure scheme, and keeps the data folder', () => {
    expect(launch.lock).toBe(1);
    expect(launch.schemes).toEqual([
      [[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]],
    ]);
    expect(launch.userData).toEqual([['userData', home]]);
    expect(launch.permissions).toBe(1);
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
    expect(childPosts).toEqual([[{ kind: 'port' }, [{ transferred: true }]]]);
    expect(launch.portStarted).toBe(1);
  });

  it('forwards a checked call from the page to the core and its answer back', async () => {
    expect([...ipcHandlers.keys()].sort()).toEqual(API_CALLS.map(channelFor).sort());
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
