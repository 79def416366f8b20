import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'Daily Brief';
const APP_DIR = 'daily-brief';

/**
 * One data directory for the CLI and the desktop app: --data-dir, else DAILY_BRIEF_HOME, else the
 * OS application-data folder. The Electron main process points `userData` here too.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.DAILY_BRIEF_HOME) return resolve(env.DAILY_BRIEF_HOME);
  return defaultDataDir(process.platform, env);
}

export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR);
}
