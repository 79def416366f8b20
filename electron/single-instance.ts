import type { App } from 'electron';

/**
 * One app per user: a second launch hands over to the first (which shows its window) and quits.
 * Returns false in the second instance, which must do nothing more.
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  show: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    show();
  });
  return true;
}
