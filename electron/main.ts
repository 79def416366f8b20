// The Electron main process: windows, tray, notifications, power events, and the IPC transport. It holds
// no core logic: the BriefService runs in a utilityProcess (core-host.ts) behind a MessagePort.
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeImage,
  Notification,
  powerMonitor,
  protocol,
  session,
  Tray,
  utilityProcess,
  type UtilityProcess,
} from 'electron';
import type { ApiCall } from '../contract/calls.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import { AppError } from '../core/errors.ts';
import { resolveDataDir } from '../core/paths.ts';
import { callListArg, EVENT_CHANNEL, type BridgeEvent } from './bridge.ts';
import { failure } from '../contract/envelope.ts';
import { API_CALLS, isTrustedSender, registerApiHandlers } from './ipc.ts';
import { applyStartAtLogin, HIDDEN_ARG } from './login-item.ts';
import { briefNotice } from './notify.ts';
import { APP_SCHEME, APP_URL, appResponse } from './protocol.ts';
import { HostClient, type FromHost } from './rpc.ts';
import { answerSecret } from './remote-secrets.ts';
import { safeStorageStore } from './secret-store.ts';
import {
  contentSecurityPolicy,
  denyPermissions,
  enforceCsp,
  lockDownContents,
  openExternalSafely,
} from './security.ts';
import { claimSingleInstance } from './single-instance.ts';
import { refreshingAfter, trayMenuTemplate } from './tray.ts';
import { keepInTray, windowPreferences } from './window.ts';

const LONG_CALLS = new Set<ApiCall>(['refresh', 'ask']);
const CORE_RESTARTS = 3;
const SAFE_STORAGE_FILE = 'secrets.safestorage.json';

const dataDir = resolveDataDir();
// The core process resolves the same folder from the environment.
process.env.DAILY_BRIEF_HOME = dataDir;
app.setPath('userData', dataDir);

const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageUrl = devServer ?? APP_URL;
const csp = contentSecurityPolicy(devServer ? { devServer } : {});
const isAppUrl = (url: string) => isTrustedSender({ url, parent: null }, pageUrl);

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let core: HostClient | undefined;
let coreProcess: UtilityProcess | undefined;
let quitting = false;
let refreshing = false;
let restarts = 0;
let lastNotified: string | undefined;
let secretStore: SecretStore | undefined;

/** Account tokens, encrypted with safeStorage (only main has it; the core asks over the port). */
function secrets(): SecretStore {
  secretStore ??= safeStorageStore(join(dataDir, SAFE_STORAGE_FILE));
  return secretStore;
}

function showWindow(): void {
  if (!window) window = createWindow();
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function createWindow(): BrowserWindow {
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const created = new BrowserWindow({
    width: 1100,
    height: 800,
    minWidth: 480,
    minHeight: 400,
    title: 'Daily Brief',
    show: false,
    webPreferences: windowPreferences(preload, callListArg(API_CALLS), !app.isPackaged),
  });
  keepInTray(created, () => quitting);
  created.once('ready-to-show', () => {
    if (!process.argv.includes(HIDDEN_ARG)) created.show();
  });
  void created.loadURL(pageUrl);
  return created;
}

function startCore(): HostClient {
  const child = utilityProcess.fork(join(import.meta.dirname, 'core-host.js'), [], {
    serviceName: 'Daily Brief core',
    stdio: 'inherit',
  });
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ kind: 'port' }, [port2]);
  port1.start();
  const client = new HostClient(
    {
      post: (message) => {
        port1.postMessage(message);
      },
      onMessage: (listener) => {
        port1.on('message', (event) => {
          listener(event.data as FromHost);
        });
      },
    },
    {
      timeoutMs: (call) => (LONG_CALLS.has(call) ? 30 * 60_000 : 60_000),
      services: {
        secret: (request) => answerSecret(secrets(), request),
        openExternal: (url) => {
          openExternalSafely(url);
        },
      },
    },
  );
  client.onEvent(onCoreEvent);
  child.on('exit', (code) => {
    client.failAll(`the app's core stopped (exit code ${code})`);
    if (quitting || restarts >= CORE_RESTARTS) return;
    restarts++;
    core = startCore();
  });
  coreProcess = child;
  return client;
}

/** To the page, if there still is one (at quit the window goes before the core's last events). */
function toPage(event: BridgeEvent): void {
  if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
}

function onCoreEvent(event: BridgeEvent): void {
  toPage(event);
  const wasRefreshing = refreshing;
  refreshing = refreshingAfter(event, refreshing);
  if (refreshing !== wasRefreshing) updateTray();
  if (event.type === 'settings-applied' && event.desktop) {
    void applyStartAtLogin(event.desktop.startAtLogin, {
      platform: process.platform,
      setLoginItemSettings: (settings) => {
        app.setLoginItemSettings(settings);
      },
      executable: process.env.APPIMAGE ?? process.execPath,
      autostartDir: join(app.getPath('appData'), 'autostart'),
    });
  }
  const notice = briefNotice(event, { lastNotifiedId: lastNotified, windowFocused: window?.isFocused() ?? false });
  if (notice && Notification.isSupported()) {
    lastNotified = event.type === 'brief-ready' ? event.briefId : lastNotified;
    const shown = new Notification({ title: notice.title, body: notice.body });
    shown.on('click', () => {
      showWindow();
      toPage({ type: 'open-brief', date: notice.date });
    });
    shown.show();
  }
}

function updateTray(): void {
  tray?.setContextMenu(
    Menu.buildFromTemplate(
      trayMenuTemplate(
        {
          open: showWindow,
          refresh: () => void core?.call('refresh', { trigger: 'tray' }),
          quit: () => {
            app.quit();
          },
        },
        { refreshing },
      ),
    ),
  );
}

function start(): void {
  const rendererRoot = join(import.meta.dirname, '../renderer');
  denyPermissions(session.defaultSession);
  if (devServer) enforceCsp(session.defaultSession, csp);
  protocol.handle(APP_SCHEME, (request) => appResponse(request.url, rendererRoot, csp));
  registerApiHandlers(ipcMain, {
    appUrl: () => pageUrl,
    forward: (call, args) =>
      core
        ? core.call(call, args)
        : Promise.resolve(failure(new AppError('core_down', 'the app’s core is not running'))),
  });
  core = startCore();
  tray = new Tray(nativeImage.createFromPath(join(app.getAppPath(), 'electron', 'assets', 'tray.png')));
  tray.setToolTip('Daily Brief');
  tray.on('click', showWindow);
  updateTray();
  powerMonitor.on('resume', () => core?.resume());
  window = createWindow();
}

app.on('web-contents-created', (_event, contents) => {
  lockDownContents(contents, isAppUrl);
});

if (claimSingleInstance(app, showWindow)) {
  app.on('window-all-closed', () => {
    // Stay in the tray; Quit in the tray menu ends the app.
  });
  app.on('activate', showWindow);
  app.on('before-quit', (event) => {
    if (quitting || !core || !coreProcess) return;
    // Let the core finish cleanly (refresh aborted, store closed), then quit for real.
    event.preventDefault();
    quitting = true;
    const done = () => {
      app.quit();
    };
    void Promise.race([core.stop(), new Promise((resolve) => setTimeout(resolve, 5000))]).then(done, done);
  });
  void app.whenReady().then(start);
}
