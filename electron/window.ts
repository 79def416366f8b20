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

/** Closing the window hides it: the app stays in the tray and keeps its schedule, until Quit. */
export function keepInTray(window: Pick<BrowserWindow, 'on' | 'hide'>, quitting: () => boolean): void {
  window.on('close', (event) => {
    if (quitting()) return;
    event.preventDefault();
    window.hide();
  });
}
