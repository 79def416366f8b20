import { lazy } from 'react';

/*
 * The views off the reading path, as chunks of their own: the window opens onto the brief without first loading the
 * settings forms, the history or the status page. Once the page is idle they are fetched ahead, so opening one later
 * does not wait either.
 */
const settings = () => import('./settings/SettingsView.tsx');
const history = () => import('./history/HistoryView.tsx');
const status = () => import('./status/StatusView.tsx');

export const SettingsView = lazy(() => settings().then((m) => ({ default: m.SettingsView })));
export const HistoryView = lazy(() => history().then((m) => ({ default: m.HistoryView })));
export const StatusView = lazy(() => status().then((m) => ({ default: m.StatusView })));

function prefetchViews(): void {
  for (const load of [settings, history, status]) {
    // A chunk that fails here fails again when its view opens (the browser remembers), and the view says so.
    load().catch(() => undefined);
  }
}

/** Fetches the other views' code once the page is idle; gives the way to call that off. */
export function prefetchViewsWhenIdle(): () => void {
  // jsdom (the component tests) has no requestIdleCallback.
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(prefetchViews, { timeout: 2000 });
    return () => {
      window.cancelIdleCallback(handle);
    };
  }
  const timer = setTimeout(prefetchViews, 200);
  return () => {
    clearTimeout(timer);
  };
}
