import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './paths.ts';

describe('data directory', () => {
  it('prefers --data-dir, then DAILY_BRIEF_HOME, then the OS app-data folder', () => {
    expect(resolveDataDir('rel/dir', { DAILY_BRIEF_HOME: '/env' })).toBe(resolve('rel/dir'));
    expect(resolveDataDir(undefined, { DAILY_BRIEF_HOME: '/env/home' })).toBe('/env/home');
    expect(resolveDataDir(undefined, { HOME: '/home/u' })).toBe(defaultDataDir(process.platform, { HOME: '/home/u' }));
  });

  it('matches the folder Electron uses for userData on each OS', () => {
    expect(defaultDataDir('linux', { HOME: '/home/u' })).toBe('/home/u/.config/daily-brief');
    expect(defaultDataDir('linux', { HOME: '/home/u', XDG_CONFIG_HOME: '/x' })).toBe('/x/daily-brief');
    expect(defaultDataDir('darwin', { HOME: '/Users/u' })).toBe('/Users/u/Library/Application Support/daily-brief');
    expect(defaultDataDir('win32', { HOME: 'C:\\Users\\u', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' })).toBe(
      join('C:\\Users\\u\\AppData\\Roaming', 'daily-brief'),
    );
  });
});
