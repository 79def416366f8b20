import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** electron-builder.yml's `appId`: Windows shows toasts only for the ID of the Start-menu shortcut. */
export const APP_ID = 'app.dailybrief.desktop';

/**
 * XDG_CURRENT_DESKTOP names for which Chromium picks a real keyring (libsecret or KWallet) by itself. On any
 * other desktop (i3, sway, Hyprland, LXQt, …) it falls back to `basic_text`, even with a keyring running.
 */
const KEYRING_DESKTOPS = new Set(['gnome', 'unity', 'x-cinnamon', 'deepin', 'pantheon', 'ukui', 'xfce', 'kde']);

/**
 * The `password-store` switch to set before ready, or nothing: libsecret (the Secret Service, which GNOME
 * Keyring, KeePassXC and KWallet all serve) on a Linux desktop Chromium does not recognise, unless the user
 * chose a store on the command line.
 */
export function passwordStoreSwitch(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  userChoseStore: boolean,
): 'gnome-libsecret' | undefined {
  if (platform !== 'linux' || userChoseStore) return undefined;
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '').toLowerCase().split(':');
  return desktops.some((name) => KEYRING_DESKTOPS.has(name)) ? undefined : 'gnome-libsecret';
}

/** The tray icon: a monochrome template image on macOS (Electron picks the @2x file itself), else the colour one. */
export function trayIconPath(appPath: string, platform: NodeJS.Platform): string {
  return join(appPath, 'electron', 'assets', platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

/** Runs a program and answers its stdout, or undefined if it is missing, fails or takes too long. */
export type RunProgram = (file: string, args: string[]) => Promise<string | undefined>;

export const runProgram: RunProgram = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 2000 }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });

/**
 * Whether an icon in the tray will be seen. macOS and Windows always have one. On Linux, Electron's tray is a
 * StatusNotifierItem, shown only where a StatusNotifierWatcher runs (KDE, XFCE, Cinnamon, Ubuntu's GNOME, waybar),
 * with an XEmbed fallback on X11 that stock GNOME no longer shows. The watcher is asked over D-Bus; without
 * gdbus to ask, stock GNOME (not Ubuntu's, which ships the AppIndicator extension) is taken as trayless.
 */
export async function trayHostAvailable(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  run: RunProgram = runProgram,
): Promise<boolean> {
  if (platform !== 'linux') return true;
  const answer = await run('gdbus', [
    'call',
    '--session',
    '--dest',
    'org.freedesktop.DBus',
    '--object-path',
    '/org/freedesktop/DBus',
    '--method',
    'org.freedesktop.DBus.NameHasOwner',
    'org.kde.StatusNotifierWatcher',
  ]);
  const desktops = (env.XDG_CURRENT_DESKTOP ?? '').toLowerCase().split(':');
  const stockGnome = desktops.includes('gnome') && !desktops.includes('ubuntu');
  if (answer === undefined) return !stockGnome;
  if (answer.includes('true')) return true;
  // No watcher: only an X11 tray (XEmbed) is left, which stock GNOME and Wayland sessions do not have.
  return env.XDG_SESSION_TYPE === 'x11' && !stockGnome;
}

/**
 * What the app says before it quits when Chromium's sandbox is off. The windows show mail and feeds from the
 * internet, so it does not run without it. On Linux that is electron-builder's AppImage launcher, which turns the
 * sandbox off by itself where it cannot create a user namespace (Ubuntu 23.10+ without the AppArmor profile).
 */
export function sandboxRefusal(platform: NodeJS.Platform): { title: string; content: string } {
  const fix =
    platform === 'linux'
      ? 'Install the .deb package of Daily Brief instead, which sets this up by itself; or allow the AppImage once with the file daily-brief-appimage.apparmor published next to it (its first lines say how).'
      : 'Start Daily Brief again from its usual shortcut, without extra options.';
  return {
    title: 'Daily Brief cannot start safely',
    content: `It was started with the sandbox off: the sandbox keeps the pages it shows apart from the rest of your computer, and Daily Brief does not run without it.\n\n${fix}`,
  };
}
