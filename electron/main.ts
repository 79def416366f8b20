// The Electron main process: windows, tray, notifications, power events, and the IPC transport. It holds
// no core logic: the BriefService runs in a utilityProcess (core-host.ts) behind a MessagePort.
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeImage,
  Notification,
  powerMonitor,
  protocol,
  session,
  shell,
  Tray,
  utilityProcess,
  type UtilityProcess,
} from 'electron';
import { LONG_CALLS, type ApiCall } from '../contract/calls.ts';
import type { SecretStore } from '../core/secrets/types.ts';
import { AppError } from '../core/errors.ts';
import { fileLogger, LOG_FILE } from '../core/log.ts';
import { resolveDataDir } from '../core/paths.ts';
import { keyringStore, keyringUnavailable } from '../core/secrets/keyring-store.ts';
import { callListArg, EVENT_CHANNEL, STANDING_CHANNEL, type BridgeEvent } from './bridge.ts';
import { failure } from '../contract/envelope.ts';
import { coreFailureDialog, OutputTail, StandingProblems } from './core-failure.ts';
import { APP_ID, passwordStoreSwitch, sandboxRefusal, trayHostAvailable, trayIconPath } from './desktop-env.ts';
import { API_CALLS, isTrustedSender, registerApiHandlers } from './ipc.ts';
import { applyStartAtLogin, startsHidden } from './login-item.ts';
import { briefNotice, holdUntilDone } from './notify.ts';
import { APP_SCHEME, APP_URL, appResponse } from './protocol.ts';
import { HostClient, type FromHost } from './rpc.ts';
import { answerSecret } from './remote-secrets.ts';
import { desktopSecretStore, safeStorageStore } from './secret-store.ts';
import {
  contentSecurityPolicy,
  denyPermissions,
  enforceCsp,
  lockDownContents,
  openExternalSafely,
} from './security.ts';
import { claimSingleInstance } from './single-instance.ts';
import { appMenuTemplate, refreshingAfter, trayMenuTemplate } from './tray.ts';
import { keepOnClose, windowPreferences } from './window.ts';

const LONG = new Set<ApiCall>(LONG_CALLS);
const CORE_RESTARTS = 3;
const SAFE_STORAGE_FILE = 'secrets.safestorage.json';

const dataDir = resolveDataDir();
// The core process resolves the same folder from the environment.
process.env.DAILY_BRIEF_HOME = dataDir;
app.setPath('userData', dataDir);
// Both before ready: Chromium picks its password store, and Windows the toast identity, at startup.
const passwordStore = passwordStoreSwitch(process.platform, process.env, app.commandLine.hasSwitch('password-store'));
if (passwordStore) app.commandLine.appendSwitch('password-store', passwordStore);
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

const devServer = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageUrl = devServer ?? APP_URL;
const csp = contentSecurityPolicy(devServer ? { devServer } : {});
const isAppUrl = (url: string) => isTrustedSender({ url, parent: null }, pageUrl);

// codeCache: without it Chromium compiles the UI's scripts afresh at every launch (it caches only http(s) by default).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let core: HostClient | undefined;
let coreProcess: UtilityProcess | undefined;
let quitting = false;
let refreshing = false;
let restarts = 0;
let lastNotified: string | undefined;
let secretStore: Promise<SecretStore> | undefined;
// Linux may have no tray host at all; until that is known, closing minimises rather than hides.
let trayVisible = process.platform !== 'linux';
let launchedHidden = startsHidden(process.argv, process.platform, () => app.getLoginItemSettings());
/** Electron holds a shown notification only weakly: these are ours until clicked or closed. */
const notices = new Set<Notification>();
const problems = new StandingProblems();
let coreFailure: { message: string; hint?: string } | undefined;

/** Account tokens, in the OS keyring like the CLI's, else safeStorage (only main has it; the core asks over the port). */
function secrets(): Promise<SecretStore> {
  secretStore ??= desktopSecretStore({
    keyring: () => keyringStore(),
    keyringUnavailable: () => keyringUnavailable(),
    safeStorage: () => safeStorageStore(join(dataDir, SAFE_STORAGE_FILE)),
    env: process.env,
  });
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
  keepOnClose(created, { quitting: () => quitting, trayVisible: () => trayVisible });
  created.once('ready-to-show', () => {
    // Started at login: wait in the tray, or, with no tray to come back from, in the taskbar.
    if (!launchedHidden) created.show();
    else if (!trayVisible) created.minimize();
    launchedHidden = false;
  });
  void created.loadURL(pageUrl);
  return created;
}

function startCore(): HostClient {
  const child = utilityProcess.fork(join(import.meta.dirname, 'core-host.js'), [], {
    serviceName: 'Daily Brief core',
    // Piped, not inherited: a packaged app has no terminal, and the last lines are the reason a core died.
    stdio: 'pipe',
  });
  const tail = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail.push(chunk);
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
      timeoutMs: (call) => (LONG.has(call) ? 30 * 60_000 : 60_000),
      services: {
        secret: (request) => secrets().then((store) => answerSecret(store, request)),
        openExternal: (url) => {
          openExternalSafely(url);
        },
      },
    },
  );
  client.onEvent(onCoreEvent);
  child.on('exit', (code) => {
    client.failAll('Daily Brief’s background worker stopped; try again in a moment');
    if (quitting) return;
    if (restarts >= CORE_RESTARTS) {
      giveUpOnCore(code, tail);
      return;
    }
    restarts++;
    core = startCore();
  });
  coreProcess = child;
  return client;
}

/**
 * The core died once more than it may be restarted: calls now fail at once (`core_down`) instead of timing out,
 * the page hears why (now, or when it loads), and so does the user: in an error box, in plain words with the
 * core's last lines cut free of paths, and in the log file, with everything.
 */
function giveUpOnCore(code: number, tail: OutputTail): void {
  core = undefined;
  coreProcess = undefined;
  const event: BridgeEvent = {
    type: 'core-failed',
    message: coreFailure?.message ?? `its background worker stopped ${String(CORE_RESTARTS + 1)} times in a row`,
    hint: coreFailure?.hint ?? 'Quit and start Daily Brief again; if it happens again, the log file has the details',
  };
  problems.note(event);
  toPage(event);
  let logFile: string | undefined;
  try {
    fileLogger(dataDir).error({ exitCode: code, stderr: tail.all() }, `core process gave up: ${event.message}`);
    logFile = join(dataDir, LOG_FILE);
  } catch {
    // A log that cannot be written must not hide the error box; it only loses its button.
  }
  const box = coreFailureDialog(event, tail.lines(), { home: app.getPath('home'), logFile });
  void dialog.showMessageBox(box).then(({ response }) => {
    if (logFile && response === 1) shell.showItemInFolder(logFile);
  });
}

/** To the page, if there still is one (at quit the window goes before the core's last events). */
function toPage(event: BridgeEvent): void {
  if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
}

function onCoreEvent(event: BridgeEvent): void {
  problems.note(event);
  if (event.type === 'core-failed') coreFailure = event;
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
    const shown = holdUntilDone(notices, new Notification({ title: notice.title, body: notice.body }));
    shown.on('click', () => {
      showWindow();
      toPage({ type: 'open-brief', date: notice.date });
    });
    shown.show();
  }
}

const menuActions = {
  open: showWindow,
  refresh: () => void core?.call('refresh', { trigger: 'tray' }),
  quit: () => {
    app.quit();
  },
};

function updateTray(): void {
  tray?.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(menuActions, { refreshing })));
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
        : Promise.resolve(
            failure(
              new AppError('core_down', 'Daily Brief’s background worker is not running', {
                hint: 'Quit and start Daily Brief again',
              }),
            ),
          ),
  });
  // Each new listener in the page asks for what it missed: a core that failed, settings that were refused.
  ipcMain.handle(STANDING_CHANNEL, (event) => (isTrustedSender(event.senderFrame, pageUrl) ? problems.standing() : []));
  core = startCore();
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, menuActions)));
  tray = new Tray(nativeImage.createFromPath(trayIconPath(app.getAppPath(), process.platform)));
  tray.setToolTip('Daily Brief');
  tray.on('click', showWindow);
  updateTray();
  void trayHostAvailable(process.platform, process.env).then((visible) => {
    trayVisible = visible;
  });
  powerMonitor.on('resume', () => core?.resume());
  window = createWindow();
}

app.on('web-contents-created', (_event, contents) => {
  lockDownContents(contents, isAppUrl);
});

if (app.commandLine.hasSwitch('no-sandbox')) {
  // Never run unsandboxed (an AppImage's launcher may have asked for it): say how to fix it, start nothing.
  void app.whenReady().then(() => {
    const box = sandboxRefusal(process.platform);
    dialog.showErrorBox(box.title, box.content);
    app.quit();
  });
} else if (claimSingleInstance(app, showWindow)) {
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
