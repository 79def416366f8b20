import { httpClient } from './http.ts';
import type { DailyBriefClient } from './types.ts';

const TOKEN_KEY = 'daily-brief-token';

/**
 * Electron's preload when it is there; otherwise `serve`'s HTTP API, with the token from the URL it printed.
 * The token is moved out of the address bar at once (kept for this tab only), so it does not linger in history.
 */
export function pickClient(win: Window): DailyBriefClient {
  if (win.dailyBrief) return win.dailyBrief;
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    win.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return httpClient({ baseUrl: '', token: fromUrl ?? win.sessionStorage.getItem(TOKEN_KEY) ?? '' });
}
