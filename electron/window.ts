import type { BrowserWindow, WebPreferences } from 'electron';

/** The window's settings: an isolated, sandboxed page with no Node, that only our preload can reach. */
export function windowPreferences(preload: string, callsArg: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
    additionalArguments: [callsArg],
  };
}

/**
 * Closing the window hides it: the app stays in the tray and keeps its schedule, until Quit. Where no tray
 * icon can be seen (stock GNOME) a hidden window could never come back, so closing minimises it instead.
 * Asked at each close: whether a tray host runs is found out after the window exists.
 */
export function keepOnClose(
  window: Pick<BrowserWindow, 'on' | 'hide' | 'minimize'>,
  state: { quitting: () => boolean; trayVisible: () => boolean },
): void {
  window.on('close', (event) => {
    if (state.quitting()) return;
    event.preventDefault();
    if (state.trayVisible()) window.hide();
    else window.minimize();
  });
}
