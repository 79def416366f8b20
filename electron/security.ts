import { shell, type Session, type WebContents } from 'electron';

/**
 * The page's Content-Security-Policy: only our own scripts and styles, nothing inline, no eval, no
 * frames, no plugins, and no network but our own origin (the core does all fetching). Images may be
 * data: URLs for icons; remote images would leak that the brief was read, so they are refused.
 */
export function contentSecurityPolicy(options: { devServer?: string } = {}): string {
  const dev = options.devServer ? new URL(options.devServer) : undefined;
  // Vite's dev server injects React Refresh inline and talks over a websocket: development only.
  const script = dev ? `'self' 'unsafe-inline' ${dev.origin}` : `'self'`;
  const connect = dev ? `'self' ${dev.origin} ws://${dev.host}` : `'self'`;
  // …and puts CSS in <style> tags.
  const style = dev ? `'self' 'unsafe-inline'` : `'self'`;
  return [
    `default-src 'none'`,
    `script-src ${script}`,
    `style-src ${style}`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src ${connect}`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-src 'none'`,
    `frame-ancestors 'none'`,
    `object-src 'none'`,
  ].join('; ');
}

/** Opens a link in the system browser, for http(s) only: never file:, javascript:, custom schemes. */
export function openExternalSafely(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  void shell.openExternal(parsed.href);
  return true;
}

/** Every permission (camera, notifications from the page, geolocation, clipboard, USB…) is refused. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** Adds the CSP to responses from the dev server (packaged builds set it in the app:// handler). */
export function enforceCsp(session: Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

/**
 * The page never leaves the app: navigation and new windows are denied, and a link the user clicked
 * (target=_blank or a plain href) opens in the system browser if it is http(s). No <webview> either.
 */
export function lockDownContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  const stay = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternalSafely(url);
  };
  contents.on('will-navigate', (event) => {
    stay(event, event.url);
  });
  contents.on('will-redirect', (event) => {
    stay(event, event.url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}
