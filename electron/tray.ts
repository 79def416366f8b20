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
  if (event.type === 'brief-ready' || event.type === 'refresh-failed') return false;
  return current;
}
