import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { Envelope } from './bridge.ts';

/**
 * The `electron` module main.ts sees in its tests (the real one needs the Electron binary): every API main
 * touches, as plain objects and emitters that record what they were asked. Each main test file mocks
 * `electron` with `electron` below and gets its own copy of these.
 */
export const home = { dir: '' };

export class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  readonly options: { webPreferences: Record<string, unknown> };
  readonly webContents = { send: vi.fn() };
  readonly loadURL = vi.fn(() => Promise.resolve());
  readonly show = vi.fn();
  readonly hide = vi.fn();
  readonly minimize = vi.fn();
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

export class FakeNotification extends EventEmitter {
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

export class FakeTray extends EventEmitter {
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

export const port = Object.assign(new EventEmitter(), { postMessage: vi.fn(), start: vi.fn() });
export type FakeChild = EventEmitter & {
  path: string;
  options: Record<string, unknown>;
  postMessage: ReturnType<typeof vi.fn>;
  stdout: EventEmitter;
  stderr: EventEmitter;
};
export const children: FakeChild[] = [];
export const ipcHandlers = new Map<string, (event: unknown, args: unknown) => Promise<Envelope>>();
export const app = Object.assign(new EventEmitter(), {
  isPackaged: true,
  setPath: vi.fn(),
  getPath: () => home.dir,
  getAppPath: () => join(import.meta.dirname, '..'),
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  whenReady: () => Promise.resolve(),
  setLoginItemSettings: vi.fn(),
  getLoginItemSettings: vi.fn(() => ({ openAtLogin: false, wasOpenedAtLogin: false })),
  setAppUserModelId: vi.fn(),
  commandLine: { hasSwitch: vi.fn((_name: string) => false), appendSwitch: vi.fn() },
});
export const dialog = {
  showErrorBox: vi.fn(),
  showMessageBox: vi.fn((_options: Record<string, unknown>) =>
    Promise.resolve({ response: 0, checkboxChecked: false }),
  ),
};
export const showItemInFolder = vi.fn();
export const Menu = {
  buildFromTemplate: (template: unknown) => template,
  setApplicationMenu: vi.fn(),
};
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
export const powerMonitor = new EventEmitter();
export const permissionHandler = vi.fn();
export const openExternal = vi.fn((_url: string) => Promise.resolve());

export const electron = {
  app,
  BrowserWindow: FakeWindow,
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<Envelope>) => ipcHandlers.set(channel, fn),
  },
  dialog,
  Menu,
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
  shell: { openExternal, showItemInFolder },
  safeStorage: {
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`enc:${Buffer.from(text).toString('hex')}`)),
    decryptStringAsync: (data: Buffer) =>
      Promise.resolve({ shouldReEncrypt: false, result: Buffer.from(data.toString().slice(4), 'hex').toString() }),
  },
  Tray: FakeTray,
  utilityProcess: {
    fork: vi.fn((path: string, _args: string[], options: Record<string, unknown>) => {
      const child = Object.assign(new EventEmitter(), {
        path,
        options,
        postMessage: vi.fn(),
        stdout: new EventEmitter(),
        stderr: new EventEmitter(),
      });
      children.push(child);
      return child;
    }),
  },
};

/** What main posted to the core, and a message from the core to main. */
export const posted = () => port.postMessage.mock.calls.map(([message]) => message as Record<string, unknown>);
export const fromCore = (data: unknown) => port.emit('message', { data });
export const trusted = { senderFrame: { url: 'app://daily-brief/index.html', parent: null } };
/** The message main posted to the core last, once it has (arguments are checked asynchronously first). */
export const lastPosted = async (kind: string) => {
  await vi.waitFor(() => {
    expect(posted().at(-1)?.kind).toBe(kind);
  });
  return posted().at(-1);
};
