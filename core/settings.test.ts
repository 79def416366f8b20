import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { DEFAULT_FEEDS, parseSettings, requestTimeoutMs } from './settings.ts';
import { loadSettings } from './settings-load.ts';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('settings', () => {
  it('gives every field a default', () => {
    const s = parseSettings({});
    expect(s.location).toMatchObject({ name: 'London', latitude: 51.5072, longitude: -0.1276 });
    expect(typeof s.location.timezone).toBe('string');
    expect(s.sources.rss).toEqual({ enabled: true, feeds: DEFAULT_FEEDS, maxItemsPerFeed: 20 });
    expect(s.sources.rss.feeds.map((f) => f.category)).toEqual(['tech', 'tech', 'market', 'market']);
    expect(s.sources.hackernews).toEqual({
      enabled: true,
      baseUrl: 'https://hacker-news.firebaseio.com/v0',
      maxStories: 15,
      concurrency: 8,
    });
    expect(s.sources.weather).toEqual({
      enabled: true,
      baseUrl: 'https://api.open-meteo.com/v1',
      geocodingBaseUrl: 'https://geocoding-api.open-meteo.com/v1',
      units: 'metric',
    });
    expect(s.refresh).toEqual({ sourceTimeoutMs: 15_000, maxResponseBytes: 5 * 1024 * 1024 });
    expect(requestTimeoutMs(s)).toBe(6000);
    expect(requestTimeoutMs(parseSettings({ refresh: { sourceTimeoutMs: 1000, requestTimeoutMs: 5000 } }))).toBe(1000);
  });

  it('fills defaults inside a partial file and keeps what is given', () => {
    const s = parseSettings({
      location: { name: 'Berlin', timezone: 'Europe/Berlin' },
      sources: { hackernews: { maxStories: 5 }, weather: { units: 'imperial' } },
    });
    expect(s.location).toEqual({ name: 'Berlin', timezone: 'Europe/Berlin' });
    expect(s.sources.hackernews.maxStories).toBe(5);
    expect(s.sources.hackernews.enabled).toBe(true);
    expect(s.sources.weather.units).toBe('imperial');
    expect(s.sources.rss.feeds).toHaveLength(4);
  });

  it.each([
    [{ location: { timezone: 'Mars/Olympus' } }, /location\.timezone must be an IANA time zone/],
    [{ location: { latitude: 10 } }, /location give both latitude and longitude/],
    [{ location: { latitude: 100, longitude: 0 } }, /location\.latitude must be at most 90\. /],
    [
      { sources: { rss: { feeds: [{ url: 'file:///etc/passwd' }] } } },
      /sources\.rss\.feeds\[0\]\.url must be an http\(s\) URL/,
    ],
    [
      { sources: { rss: { feeds: [{ url: 'https://ok.example', colour: 'red' }] } } },
      /sources\.rss\.feeds\[0\] has a field it does not know: colour/,
    ],
    [{ sources: { hackernews: { maxStories: 0 } } }, /sources\.hackernews\.maxStories must be at least 1\. /],
    [{ sources: { weather: { units: 'kelvin' } } }, /sources\.weather\.units must be one of metric, imperial/],
    [{ refresh: { sourceTimeoutMs: 'soon' } }, /refresh\.sourceTimeoutMs must be a number\. /],
    [{ sorces: {} }, /\(top level\) has a field it does not know: sorces/],
    [[], /\(top level\) must be an object/],
  ])('rejects %j with one line naming the field', (raw, message) => {
    const error = errorOf(() => parseSettings(raw));
    expect(error.code).toBe('invalid_settings');
    expect(error.oneLine()).toMatch(message);
    expect(error.oneLine()).not.toContain('\n');
  });

  describe('from the data directory', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'db-settings-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('uses public defaults without a file, and says the location was not set', () => {
      expect(loadSettings(dir)).toMatchObject({ fromFile: false, locationSet: false });
    });

    it('reads the file and notes a set location', () => {
      writeFileSync(join(dir, 'settings.json'), JSON.stringify({ location: { name: 'Oslo' } }));
      const loaded = loadSettings(dir);
      expect(loaded).toMatchObject({ fromFile: true, locationSet: true });
      expect(loaded.settings.location.name).toBe('Oslo');
    });

    it('accepts a byte-order mark, and names a settings path that is not a readable file', () => {
      writeFileSync(join(dir, 'settings.json'), '\uFEFF{ "location": { "name": "Rome" } }');
      expect(loadSettings(dir).settings.location.name).toBe('Rome');
      rmSync(join(dir, 'settings.json'));
      mkdirSync(join(dir, 'settings.json'));
      expect(errorOf(() => loadSettings(dir)).oneLine()).toMatch(/could not read .*settings\.json \(EISDIR\)/);
    });

    it('reports a file that is not JSON', () => {
      writeFileSync(join(dir, 'settings.json'), '{ "location": { ');
      expect(errorOf(() => loadSettings(dir)).oneLine()).toMatch(
        /settings\.json is not valid JSON \(.+\)\. Fix the file/,
      );
    });
  });
});
