import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaServer, type OllamaServer } from '../test/fakes/ollama-server.ts';
import { BERLIN, startWeatherServer, type WeatherServer } from '../test/fakes/weather-server.ts';
import { createApi } from './api.ts';
import { fixedClock } from '../core/clock.ts';
import { memoryLogger } from '../core/log.ts';
import { BriefService } from './service.ts';
import { parseSettings, type SettingsInput } from '../core/settings.ts';

let ollama: OllamaServer;
let weather: WeatherServer;
const dirs: string[] = [];
beforeAll(async () => {
  ollama = await startOllamaServer({ models: ['qwen2.5:7b', 'nomic-embed-text:latest'] });
  weather = await startWeatherServer({
    places: [BERLIN, { ...BERLIN, id: 2, name: 'Berlin', latitude: 44.47, longitude: -71.18, country: 'USA' }],
  });
});
afterAll(async () => {
  await Promise.all([ollama.close(), weather.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function api(input: SettingsInput) {
  const dir = mkdtempSync(join(tmpdir(), 'db-api-ui-'));
  dirs.push(dir);
  const service = new BriefService({
    dataDir: dir,
    clock: fixedClock('2026-12-01T06:00:00.000Z'),
    settings: { settings: parseSettings(input), fromFile: true, locationSet: true },
    log: memoryLogger(),
    memory: false,
  });
  return createApi(service);
}

describe('the UI calls', () => {
  it('models/list: the installed models with their sizes and what each can do, from /api/tags and /api/show', async () => {
    ollama.options.capabilities = { 'qwen2.5:7b': ['completion', 'tools', 'thinking'] };
    ollama.options.contextLengths = { 'qwen2.5:7b': 40960 };
    const models = await api({ llm: { baseUrl: ollama.baseUrl } })['models/list']({});
    expect(models).toEqual([
      {
        name: 'qwen2.5:7b',
        size: 2_019_393_189,
        capabilities: ['completion', 'tools', 'thinking'],
        contextLength: 40960,
        label: 'qwen2.5:7b · tools · thinking · 40k context',
      },
      {
        name: 'nomic-embed-text:latest',
        size: 274_302_450,
        capabilities: ['embedding'],
        contextLength: 8192,
        label: 'nomic-embed-text:latest · embedding · 8k context',
      },
    ]);
    // Asked once per model version: a second listing costs only /api/tags.
    const shown = ollama.calls.show;
    await api({ llm: { baseUrl: ollama.baseUrl } })['models/list']({});
    expect(ollama.calls.show).toBe(shown);
  });

  it('models/list: nothing when the model is switched off, and one line when Ollama is down', async () => {
    expect(await api({ llm: { provider: 'none' } })['models/list']({})).toEqual([]);
    await expect(api({ llm: { baseUrl: 'http://127.0.0.1:9' } })['models/list']({})).rejects.toThrow(
      /^Ollama is not reachable at http:\/\/127\.0\.0\.1:9$/,
    );
  });

  it('location/search: every place of that name through the weather geocoder', async () => {
    const calls = api({ sources: { weather: { geocodingBaseUrl: weather.geocodingBaseUrl } } });
    const places = await calls['location/search']({ query: ' berlin ' });
    expect(places.map((p) => [p.name, p.country, p.timezone])).toEqual([
      ['Berlin', 'Germany', 'Europe/Berlin'],
      ['Berlin', 'USA', 'Europe/Berlin'],
    ]);
    expect(weather.geocodingRequests().at(-1)?.searchParams.get('count')).toBe('8');
    expect(await calls['location/search']({ query: 'Atlantis' })).toEqual([]);
    await expect(calls['location/search']({ query: '  ' })).rejects.toThrow(/query: type a place name/);
  });

  it('settings/get: the settings in use and where they are saved', async () => {
    const got = await api({ location: { name: 'Oslo' } })['settings/get']({});
    expect(got.settings.location.name).toBe('Oslo');
    expect(got.settings.ui.theme).toBe('system');
    expect(got.path).toMatch(/db-api-ui-.*settings\.json$/);
    expect(got.saved).toBe(true);
  });
});
