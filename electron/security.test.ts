import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn((_url: string) => Promise.resolve());
vi.mock('electron', () => ({ shell: { openExternal } }));

const { contentSecurityPolicy, denyPermissions, enforceCsp, lockDownContents, openExternalSafely } =
  await import('./security.ts');

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

beforeEach(() => {
  openExternal.mockClear();
});

describe('Content-Security-Policy', () => {
  it('allows only our own scripts, no inline script or eval, no frames, no remote network', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('img-src')).toBe("'self' data:");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(contentSecurityPolicy()).not.toMatch(/unsafe|\*/);
  });

  it('lets the dev server’s scripts and websocket in during development only', () => {
    const csp = directives(contentSecurityPolicy({ devServer: 'http://localhost:5173/' }));
    expect(csp.get('script-src')).toBe("'self' 'unsafe-inline' http://localhost:5173");
    expect(csp.get('connect-src')).toBe("'self' http://localhost:5173 ws://localhost:5173");
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
  });

  it('is added to every response the session receives (development server)', () => {
    let hook: ((details: unknown, callback: (response: unknown) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: (fn: typeof hook) => (hook = fn) } } as unknown as Session;
    enforceCsp(session, "default-src 'none'");
    const answer = vi.fn();
    hook?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, answer);
    expect(answer).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] },
    });
  });
});

describe('external links', () => {
  it('open in the system browser for http and https only', () => {
    expect(openExternalSafely('https://example.com/story?id=1')).toBe(true);
    expect(openExternalSafely('http://example.com/')).toBe(true);
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual([
      'https://example.com/story?id=1',
      'http://example.com/',
    ]);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:privacy',
      'data:text/html,<b>x</b>',
      'not a url',
    ]) {
      expect(openExternalSafely(url)).toBe(false);
    }
    expect(openExternal).toHaveBeenCalledTimes(2);
  });
});

describe('permission requests', () => {
  it('are all denied, asked or checked', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (fn: (...args: unknown[]) => unknown) => (handlers.request = fn),
      setPermissionCheckHandler: (fn: (...args: unknown[]) => unknown) => (handlers.check = fn),
      setDevicePermissionHandler: (fn: (...args: unknown[]) => unknown) => (handlers.device = fn),
    } as unknown as Session;
    denyPermissions(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      handlers.request?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(handlers.check?.({}, permission, 'app://daily-brief', {})).toBe(false);
    }
    expect(handlers.device?.({ deviceType: 'usb' })).toBe(false);
  });
});

describe('navigation and new windows', () => {
  function fakeContents() {
    const emitter = new EventEmitter();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = Object.assign(emitter, {
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    }) as unknown as WebContents;
    lockDownContents(contents, (url) => url.startsWith('app://daily-brief/'));
    const navigate = (name: string, url: string) => {
      const event = { url, preventDefault: vi.fn() };
      emitter.emit(name, event);
      return event.preventDefault.mock.calls.length > 0;
    };
    return { open: (url: string) => openHandler?.({ url }), navigate };
  }

  it('denies every new window, sending http(s) links to the system browser', () => {
    const contents = fakeContents();
    expect(contents.open('https://news.example/a')).toEqual({ action: 'deny' });
    expect(contents.open('file:///home/me/.ssh/id_rsa')).toEqual({ action: 'deny' });
    expect(contents.open('app://daily-brief/index.html')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual(['https://news.example/a']);
  });

  it('denies navigation away from the app, and redirects, and webviews', () => {
    const contents = fakeContents();
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-attach-webview', 'app://daily-brief/index.html')).toBe(true);
    // A reload of our own page is fine.
    expect(contents.navigate('will-navigate', 'app://daily-brief/index.html')).toBe(false);
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual(['https://evil.example/', 'https://evil.example/']);
  });
});
