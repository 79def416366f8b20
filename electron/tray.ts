import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  open: () => void;
  refresh: () => void;
  quit: () => void;
}

/** Open, Refresh now, Quit. While a refresh runs, "Refresh now" says so and is disabled. */
export function trayMenuTemplate(actions: TrayActions, state: { refreshing: boolean }): MenuItemConstructorOptions[] {
  return [
    { label: 'Open Daily Brief', click: actions.open },
    {
      label: state.refreshing ? 'Refreshing…' : 'Refresh now',
      enabled: !state.refreshing,
      click: actions.refresh,
    },
    { type: 'separator' },
    { label: 'Quit', click: actions.quit },
  ];
}

/** Whether a core event starts or ends a refresh, for the tray's state. */
export function refreshingAfter(event: { type: string }, current: boolean): boolean {
  if (event.type === 'source-started' || (event.type === 'phase' && 'phase' in event && event.phase === 'fetch')) {
    return true;
  }
  // After a change of mode the other day's refresh is no longer heard: its end would never come.
  if (event.type === 'brief-ready' || event.type === 'refresh-failed' || event.type === 'mode') return false;
  return current;
}

/**
 * The window's menu bar (macOS: the app menu), with Quit in it: where no tray icon is seen, this is the way out.
 * Edit keeps copy and paste (macOS routes them through the menu); the stock View menu's reload is left out.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: Pick<TrayActions, 'refresh' | 'quit'>,
): MenuItemConstructorOptions[] {
  const refresh: MenuItemConstructorOptions = {
    label: 'Refresh now',
    accelerator: 'CmdOrCtrl+R',
    click: actions.refresh,
  };
  const quit: MenuItemConstructorOptions = {
    label: 'Quit Daily Brief',
    accelerator: 'CmdOrCtrl+Q',
    click: actions.quit,
  };
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  if (platform === 'darwin') {
    return [
      {
        label: 'Daily Brief',
        submenu: [{ role: 'about' }, { type: 'separator' }, refresh, { type: 'separator' }, { role: 'hide' }, quit],
      },
      edit,
      { role: 'windowMenu' },
    ];
  }
  return [{ label: 'File', submenu: [refresh, { type: 'separator' }, quit] }, edit];
}
