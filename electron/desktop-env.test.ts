import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_ID, passwordStoreSwitch, trayHostAvailable, trayIconPath } from './desktop-env.ts';

const ROOT = join(import.meta.dirname, '..');

describe('Windows identity', () => {
  it('is the appId electron-builder gives the Start-menu shortcut', () => {
    const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(/^appId:\s*(\S+)\s*$/m.exec(config)?.[1]).toBe(APP_ID);
  });
});

describe('password store on Linux', () => {
  it('asks for libsecret on desktops Chromium does not recognise', () => {
    for (const desktop of ['i3', 'sway', 'Hyprland', 'LXQt', 'niri', undefined]) {
      const env = desktop ? { XDG_CURRENT_DESKTOP: desktop } : {};
      expect(passwordStoreSwitch('linux', env, false), String(desktop)).toBe('gnome-libsecret');
    }
  });

  it('leaves Chromium’s own choice on known desktops, elsewhere, and when the user chose', () => {
    for (const desktop of ['ubuntu:GNOME', 'KDE', 'XFCE', 'X-Cinnamon', 'Pantheon', 'Unity']) {
      expect(passwordStoreSwitch('linux', { XDG_CURRENT_DESKTOP: desktop }, false), desktop).toBeUndefined();
    }
    expect(passwordStoreSwitch('linux', { XDG_CURRENT_DESKTOP: 'sway' }, true)).toBeUndefined();
    expect(passwordStoreSwitch('darwin', {}, false)).toBeUndefined();
    expect(passwordStoreSwitch('win32', {}, false)).toBeUndefined();
  });
});

describe('tray host', () => {
  const watcher = (answer: string | undefined) => vi.fn(() => Promise.resolve(answer));

  it('is always there on macOS and Windows', async () => {
    const run = watcher(undefined);
    expect(await trayHostAvailable('darwin', {}, run)).toBe(true);
    expect(await trayHostAvailable('win32', {}, run)).toBe(true);
    expect(run).not.toHaveBeenCalled();
  });

  it('on Linux is there when a StatusNotifierWatcher owns its D-Bus name', async () => {
    const run = watcher('(true,)\n');
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'GNOME' }, run)).toBe(true);
    expect(run.mock.calls[0]).toEqual([
      'gdbus',
      expect.arrayContaining(['org.freedesktop.DBus.NameHasOwner', 'org.kde.StatusNotifierWatcher']),
    ]);
  });

  it('is missing on stock GNOME and on Wayland without a watcher; an X11 session may still have XEmbed', async () => {
    const none = watcher('(false,)\n');
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'GNOME', XDG_SESSION_TYPE: 'x11' }, none)).toBe(
      false,
    );
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'sway', XDG_SESSION_TYPE: 'wayland' }, none)).toBe(
      false,
    );
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'i3', XDG_SESSION_TYPE: 'x11' }, none)).toBe(true);
  });

  it('without gdbus to ask, takes stock GNOME as trayless and Ubuntu’s GNOME as having one', async () => {
    const missing = watcher(undefined);
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'GNOME' }, missing)).toBe(false);
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, missing)).toBe(true);
    expect(await trayHostAvailable('linux', { XDG_CURRENT_DESKTOP: 'KDE' }, missing)).toBe(true);
  });
});

/** Size and colour type (6: RGBA, so a template can be black with alpha) from a PNG's IHDR. */
function png(path: string): { width: number; height: number; colourType: number } {
  const data = readFileSync(path);
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), colourType: data[25] ?? -1 };
}

describe('tray icon', () => {
  it('on macOS is a template image with its @2x twin; elsewhere the colour icon', () => {
    const mac = trayIconPath(ROOT, 'darwin');
    expect(mac.endsWith('Template.png')).toBe(true);
    const twin = mac.replace(/\.png$/, '@2x.png');
    expect(existsSync(mac) && existsSync(twin)).toBe(true);
    const [one, two] = [png(mac), png(twin)];
    expect(one).toEqual({ width: 16, height: 16, colourType: 6 });
    expect(two).toEqual({ width: 32, height: 32, colourType: 6 });
    expect(existsSync(trayIconPath(ROOT, 'linux'))).toBe(true);
    expect(trayIconPath(ROOT, 'win32')).toBe(trayIconPath(ROOT, 'linux'));
  });
});
