import { afterEach, describe, expect, test } from 'vitest';
import type { ConnectorCache, ConnectorContext } from '../../connectors/types.ts';
import { ADVICE } from '../../connectors/weather-advice.ts';
import { weatherConnector } from '../../connectors/weather.ts';
import { fixedClock } from '../../core/clock.ts';
import { parseSettings, type SettingsInput } from '../../core/settings.ts';
import type { WeatherSummary } from '../../core/types.ts';
import {
  BERLIN,
  sampleForecast,
  startWeatherServer,
  type WeatherServer,
  type WeatherServerOptions,
} from '../fakes/weather-server.ts';
import { failure, memoryCache } from '../helpers/connector-cache.ts';

const NOW = '2024-01-15T06:30:00.000Z';
const CURRENT = 'current=temperature_2m,weather_code,wind_speed_10m';
const DAILY =
  'daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max,precipitation_sum,' +
  'wind_speed_10m_max,sunrise,sunset,uv_index_max';

const servers: WeatherServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: WeatherServerOptions = {}): Promise<WeatherServer> {
  // The fixtures' day, matching the test clock.
  const server = await startWeatherServer({ date: '2024-01-15', ...options });
  servers.push(server);
  return server;
}

type LocationInput = NonNullable<SettingsInput['location']>;
const BERLIN_FIXED: LocationInput = { name: 'Berlin', latitude: 52.52, longitude: 13.41, timezone: 'Europe/Berlin' };

function contextFor(
  server: WeatherServer,
  options: { location?: LocationInput; units?: 'metric' | 'imperial'; cache?: ConnectorCache } = {},
): ConnectorContext {
  return {
    settings: parseSettings({
      location: options.location ?? BERLIN_FIXED,
      sources: {
        weather: {
          baseUrl: server.forecastBaseUrl,
          geocodingBaseUrl: server.geocodingBaseUrl,
          units: options.units ?? 'metric',
        },
      },
    }),
    signal: new AbortController().signal,
    clock: fixedClock(NOW),
    cache: options.cache ?? memoryCache(),
    requestTimeoutMs: 2000,
  };
}

async function fetchOne(context: ConnectorContext) {
  const result = await weatherConnector.fetch(context);
  expect(result.items).toHaveLength(1);
  expect(result.warnings).toEqual([]);
  const [item] = result.items;
  if (!item) throw new Error('no item');
  return { item, summary: item.meta as unknown as WeatherSummary };
}

test('connector identity', () => {
  expect(weatherConnector.id).toBe('weather');
  expect(weatherConnector.label).toBe('Weather (Open-Meteo)');
  expect(weatherConnector.kinds).toEqual(['weather']);
  const off = parseSettings({ sources: { weather: { enabled: false } } });
  expect([weatherConnector.enabled(parseSettings({})), weatherConnector.enabled(off)]).toEqual([true, false]);
});

describe('forecast', () => {
  test('metric: the request, and one item with the full summary', async () => {
    const server = await serve();
    const { item } = await fetchOne(contextFor(server));

    expect(server.requests.map((r) => r.path)).toEqual([
      `/v1/forecast?latitude=52.52&longitude=13.41&timezone=Europe%2FBerlin&forecast_days=1&${CURRENT}&${DAILY}`,
    ]);
    expect(server.geocodingRequests()).toEqual([]);

    const summary =
      'Light rain, high 8 °C, low 3 °C, 80% chance of precipitation (3.2 mm), wind up to 25 km/h. ' +
      'Now 5 °C, overcast. Sunrise 07:58, sunset 16:01.';
    expect(item).toEqual({
      id: 'weather:2024-01-15',
      kind: 'weather',
      source: 'weather',
      origin: 'Berlin',
      title: 'Berlin: light rain, 3–8 °C',
      snippet: summary,
      publishedAt: NOW,
      tags: [],
      meta: {
        itemId: 'weather:2024-01-15',
        location: 'Berlin',
        summary,
        advice: [ADVICE.umbrella, ADVICE.warmCoat],
        high: 8,
        low: 3,
        precipitationProbability: 80,
        precipitationSum: 3.2,
        windMax: 25,
        current: '5 °C, overcast',
        units: 'metric',
        sunrise: '07:58',
        sunset: '16:01',
      } satisfies WeatherSummary,
    });
  });

  test('imperial: the unit parameters are sent and the figures read in °F, mph and inches', async () => {
    const server = await serve();
    const { item, summary } = await fetchOne(contextFor(server, { units: 'imperial' }));

    const [request] = server.forecastRequests();
    expect(request?.searchParams.get('temperature_unit')).toBe('fahrenheit');
    expect(request?.searchParams.get('wind_speed_unit')).toBe('mph');
    expect(request?.searchParams.get('precipitation_unit')).toBe('inch');
    expect(request?.searchParams.get('timezone')).toBe('Europe/Berlin');

    // The fake converts its wet Berlin day: 37.4–46.4 °F, 0.126 in, wind 15.5 mph, now 41 °F.
    expect(item.title).toBe('Berlin: light rain, 37–46 °F');
    expect(item.snippet).toBe(
      'Light rain, high 46 °F, low 37 °F, 80% chance of precipitation (0.13 in), wind up to 16 mph. ' +
        'Now 41 °F, overcast. Sunrise 07:58, sunset 16:01.',
    );
    expect(summary).toMatchObject({
      units: 'imperial',
      high: 46.4,
      low: 37.4,
      precipitationSum: 0.126,
      windMax: 15.5,
      current: '41 °F, overcast',
      // 37.4 °F is below the 41 °F coat threshold; read as °C it would not be.
      advice: [ADVICE.umbrella, ADVICE.warmCoat],
    });
  });

  test('metric requests carry no unit parameters', async () => {
    const server = await serve();
    await fetchOne(contextFor(server));
    const [request] = server.forecastRequests();
    expect(
      ['temperature_unit', 'wind_speed_unit', 'precipitation_unit'].map((p) => request?.searchParams.has(p)),
    ).toEqual([false, false, false]);
  });

  test('a hot, dry, windy summer day: words, rounding, date and advice follow the data', async () => {
    const server = await serve({
      forecast: sampleForecast({
        date: '2024-07-02',
        weatherCode: 0,
        high: 31.6,
        low: 18.2,
        precipitationProbability: 5,
        precipitationSum: 0,
        windMax: 41.4,
        uvIndexMax: 7.55,
        sunrise: '04:46',
        sunset: '21:33',
        current: { temperature: 22.5, weatherCode: 1, time: '2024-07-02T08:00' },
      }),
    });
    const { item, summary } = await fetchOne(contextFor(server));
    expect(item.id).toBe('weather:2024-07-02');
    expect(item.title).toBe('Berlin: clear sky, 18–32 °C');
    expect(item.snippet).toBe(
      'Clear sky, high 32 °C, low 18 °C, 5% chance of precipitation, wind up to 41 km/h. ' +
        'Now 23 °C, mainly clear. Sunrise 04:46, sunset 21:33.',
    );
    expect(summary.advice).toEqual([ADVICE.sunscreen, ADVICE.hot, ADVICE.windy]);
    expect([summary.sunrise, summary.sunset]).toEqual(['04:46', '21:33']);
  });

  test('snow below freezing', async () => {
    const server = await serve({
      forecast: sampleForecast({
        weatherCode: 73,
        high: -1.2,
        low: -6.8,
        current: { temperature: -4, weatherCode: 71 },
      }),
    });
    const { item, summary } = await fetchOne(contextFor(server));
    expect(item.title).toBe('Berlin: snow, -7 to -1 °C');
    expect(summary.current).toBe('-4 °C, light snow');
    expect(summary.advice).toEqual([ADVICE.umbrella, ADVICE.warmCoat, ADVICE.snow]);
  });

  test('null daily values (a model without them) are left out of the sentence, not printed as 0', async () => {
    const server = await serve({
      forecast: sampleForecast({
        weatherCode: 3,
        precipitationProbability: null,
        precipitationSum: null,
        windMax: null,
        uvIndexMax: null,
      }),
    });
    const { item, summary } = await fetchOne(contextFor(server));
    expect(item.snippet).toBe('Overcast, high 8 °C, low 3 °C. Now 5 °C, overcast. Sunrise 07:58, sunset 16:01.');
    expect([summary.precipitationProbability, summary.precipitationSum, summary.windMax]).toEqual([0, 0, 0]);
    expect(summary.advice).toEqual([ADVICE.warmCoat]);
  });
});

describe('geocoding', () => {
  const byName: LocationInput = { name: 'berlin', timezone: 'Europe/Berlin' };

  test('a place name is looked up once and then read from the cache', async () => {
    const server = await serve();
    const cache = memoryCache();
    const first = await fetchOne(contextFor(server, { location: byName, cache }));
    const second = await fetchOne(contextFor(server, { location: byName, cache }));

    const lookups = server.geocodingRequests();
    expect(lookups.map((u) => u.search)).toEqual(['?name=berlin&count=1&language=en&format=json']);
    expect(
      server.forecastRequests().map((u) => [u.searchParams.get('latitude'), u.searchParams.get('longitude')]),
    ).toEqual([
      ['52.52437', '13.41053'],
      ['52.52437', '13.41053'],
    ]);
    expect(cache.values.get('geocode:berlin')).toEqual({
      name: 'Berlin',
      latitude: 52.52437,
      longitude: 13.41053,
      country: 'Germany',
      admin1: 'Land Berlin',
      timezone: 'Europe/Berlin',
    });
    // The geocoder's spelling of the name is what the brief shows.
    expect([first.item.origin, second.item.origin, second.summary.location]).toEqual(['Berlin', 'Berlin', 'Berlin']);
    expect(first.item.title).toBe('Berlin: light rain, 3–8 °C');

    // Without the shared cache the lookup happens again, so the cache is what saved it above.
    await fetchOne(contextFor(server, { location: byName }));
    expect(server.geocodingRequests()).toHaveLength(2);
  });

  test('names are sent encoded and cached case-insensitively', async () => {
    const newYork = { name: 'New York', latitude: 40.71427, longitude: -74.00597, country: 'United States' };
    const server = await serve({ places: [newYork] });
    const cache = memoryCache();
    await fetchOne(contextFor(server, { location: { name: 'New York', timezone: 'America/New_York' }, cache }));
    await fetchOne(contextFor(server, { location: { name: 'NEW YORK', timezone: 'America/New_York' }, cache }));
    expect(server.requests[0]?.path).toBe('/geocoding/v1/search?name=New%20York&count=1&language=en&format=json');
    expect(server.geocodingRequests()).toHaveLength(1);
    expect([...cache.values.keys()]).toEqual(['geocode:new york']);
  });

  test('a broken cache entry is ignored and replaced', async () => {
    const server = await serve();
    const cache = memoryCache({ 'geocode:berlin': { lat: 'fifty-two' } });
    const { item } = await fetchOne(contextFor(server, { location: byName, cache }));
    expect(item.origin).toBe('Berlin');
    expect(server.geocodingRequests()).toHaveLength(1);
    expect(cache.values.get('geocode:berlin')).toMatchObject({ latitude: 52.52437, longitude: 13.41053 });
  });

  test('an unknown place fails with a clear message and a hint, without asking for a forecast', async () => {
    const server = await serve({ places: [BERLIN] });
    const cache = memoryCache();
    const context = contextFor(server, { location: { name: 'Atlantis', timezone: 'UTC' }, cache });
    const error = await failure(weatherConnector.fetch(context));
    expect(error.code).toBe('place_not_found');
    expect(error.message).toBe('could not find the place "Atlantis"');
    expect(error.hint).toBe(
      'Check the spelling of location.name in settings, or set location.latitude and location.longitude',
    );
    expect(server.forecastRequests()).toEqual([]);
    expect(cache.values.size).toBe(0);
  });

  test('a geocoder failure is an error and caches nothing', async () => {
    const server = await serve({ failGeocoding: true });
    const cache = memoryCache();
    const error = await failure(weatherConnector.fetch(contextFor(server, { location: byName, cache })));
    expect(error.code).toBe('http_status');
    expect(error.message).toBe(`${new URL(server.baseUrl).host} answered HTTP 500`);
    expect(cache.values.size).toBe(0);
  });
});

describe('failures', () => {
  test('HTTP 500 from the forecast fails the source', async () => {
    const server = await serve({ failForecast: true });
    const error = await failure(weatherConnector.fetch(contextFor(server)));
    expect(error.code).toBe('http_status');
    expect(error.message).toBe(`${new URL(server.baseUrl).host} answered HTTP 500`);
  });

  test('a forecast of the wrong shape fails with the offending field named', async () => {
    const broken = sampleForecast();
    (broken['daily'] as Record<string, unknown>)['temperature_2m_max'] = ['8'];
    const server = await serve({ forecast: broken });
    const error = await failure(weatherConnector.fetch(contextFor(server)));
    expect(error.code).toBe('bad_response');
    expect(error.message).toBe(
      'Open-Meteo sent an unexpected forecast (daily.temperature_2m_max.0: Invalid input: expected number, received string)',
    );
  });

  test('a forecast without days, or without current conditions, is rejected', async () => {
    const noDays = sampleForecast();
    const daily = noDays['daily'] as Record<string, unknown[]>;
    for (const key of Object.keys(daily)) daily[key] = [];
    const noCurrent = sampleForecast();
    delete noCurrent['current'];
    const server = await serve({ forecast: noDays });
    expect((await failure(weatherConnector.fetch(contextFor(server)))).message).toMatch(
      /^Open-Meteo sent an unexpected forecast \(daily\.time: /,
    );
    server.options.forecast = noCurrent;
    expect((await failure(weatherConnector.fetch(contextFor(server)))).message).toMatch(
      /^Open-Meteo sent an unexpected forecast \(current: /,
    );
    server.options.forecast = { error: true, reason: 'Cannot initialize WeatherVariable from invalid String value' };
    expect((await failure(weatherConnector.fetch(contextFor(server)))).code).toBe('bad_response');
  });

  test('an answer in the wrong units is refused rather than mislabelled', async () => {
    // A server that ignores temperature_unit and answers in Celsius.
    const server = await serve({ forecast: sampleForecast({ units: 'metric' }) });
    const error = await failure(weatherConnector.fetch(contextFor(server, { units: 'imperial' })));
    expect(error.code).toBe('bad_response');
    expect(error.message).toBe('Open-Meteo answered in °C instead of °F');
  });

  test('a hanging server times out after requestTimeoutMs', async () => {
    const server = await serve({ hang: true });
    const error = await failure(weatherConnector.fetch({ ...contextFor(server), requestTimeoutMs: 150 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`${new URL(server.baseUrl).host} did not answer within 150 ms`);
  });
});
