import { httpClient } from './http.ts';
import type { DailyBriefClient } from './types.ts';

const TOKEN_KEY = 'daily-brief-token';

/**
 * Electron's preload when it is there; otherwise `serve`'s HTTP API, with the token from the link it printed
 * (`#token=…`: a fragment is never sent to any server). The token moves out of the address bar at once and is
 * kept for this tab only. No token at all (the bare address): undefined, and the page says how to get in.
 */
export function pickClient(win: Window): DailyBriefClient | undefined {
  if (win.dailyBrief) return win.dailyBrief;
  const url = new URL(win.location.href);
  const fromUrl = new URLSearchParams(url.hash.slice(1)).get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    win.history.replaceState(null, '', url.pathname + url.search);
  }
  const token = fromUrl ?? win.sessionStorage.getItem(TOKEN_KEY);
  return token ? httpClient({ baseUrl: '', token }) : undefined;
}
