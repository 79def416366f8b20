// Placeholder shell until the desktop-app issue lands: one locked-down window that points people to
// the CLI. It already uses the same data directory as the CLI and refuses a second instance.
import { app, BrowserWindow, shell } from 'electron';
import { join } from 'node:path';

function dataDir() {
  if (process.env.DAILY_BRIEF_HOME) return process.env.DAILY_BRIEF_HOME;
  return join(app.getPath('appData'), 'daily-brief');
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setPath('userData', dataDir());
  app.whenReady().then(() => {
    const window = new BrowserWindow({
      width: 720,
      height: 520,
      title: 'Daily Brief',
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    window.webContents.setWindowOpenHandler(({ url }) => {
      if (/^https?:/.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    window.webContents.on('will-navigate', (event) => event.preventDefault());
    void window.loadFile(join(import.meta.dirname, '..', 'renderer', 'index.html'));
  });
  app.on('window-all-closed', () => app.quit());
}
