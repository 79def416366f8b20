import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  /** Electron's app.setLoginItemSettings (macOS and Windows only). */
  setLoginItemSettings: (settings: { openAtLogin: boolean; args?: string[] }) => void;
  /** The program to start: the AppImage when run from one, else the Electron executable. */
  executable: string;
  /** ~/.config/autostart on Linux (XDG). */
  autostartDir: string;
}

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_FILE = 'daily-brief.desktop';

/** A path in an XDG Exec line: quoted, with the characters the spec reserves escaped. */
function execQuote(path: string): string {
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Daily Brief',
    'Comment=Your morning brief, written on your own machine',
    `Exec=${execQuote(executable)} ${HIDDEN_ARG}`,
    'X-GNOME-Autostart-enabled=true',
    'NoDisplay=true',
    '',
  ].join('\n');
}

/**
 * `desktop.startAtLogin`: the OS login item on macOS and Windows, an XDG autostart entry on Linux
 * (Electron has no login items there). The app starts hidden, in the tray: on Linux and Windows the login
 * item passes `--hidden`; macOS login items take no arguments (`args` is Windows-only), so there the app
 * asks `wasOpenedAtLogin` instead (see `startsHidden`).
 */
export async function applyStartAtLogin(enabled: boolean, deps: LoginItemDeps): Promise<void> {
  if (deps.platform === 'linux') {
    const file = join(deps.autostartDir, AUTOSTART_FILE);
    if (!enabled) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(deps.autostartDir, { recursive: true });
    await writeFile(file, autostartEntry(deps.executable), { mode: 0o644 });
    return;
  }
  if (deps.platform === 'win32') deps.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
  else deps.setLoginItemSettings({ openAtLogin: enabled });
}

/** Whether this launch should stay in the tray: started by the login item, not by the user. */
export function startsHidden(
  argv: readonly string[],
  platform: NodeJS.Platform,
  loginItem: () => { wasOpenedAtLogin?: boolean },
): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  return platform === 'darwin' && loginItem().wasOpenedAtLogin === true;
}
