import { localDate } from '../../core/time.ts';
import type { ServerResponse } from 'node:http';
import { sendJson, sleep, startServer, type LocalServer } from './server.ts';

/** A geocoding hit as Open-Meteo sends it (the fields the app reads, plus a few it ignores). */
export interface GeocodingPlace {
  id?: number;
  name: string;
  latitude: number;
  longitude: number;
  elevation?: number;
  feature_code?: string;
  country_code?: string;
  country?: string;
  admin1?: string;
  timezone?: string;
  population?: number;
}

export const BERLIN: GeocodingPlace = {
  id: 2950159,
  name: 'Berlin',
  latitude: 52.52437,
  longitude: 13.41053,
  elevation: 74,
  feature_code: 'PPLC',
  country_code: 'DE',
  country: 'Germany',
  admin1: 'Land Berlin',
  timezone: 'Europe/Berlin',
  population: 3426354,
};

export interface WeatherServerOptions {
  /** Delay before every answer. */
  latencyMs?: number;
  /** The forecast's local date (YYYY-MM-DD); by default today in the requested zone, as the real service does. */
  date?: string;
  /**
   * Body for /v1/forecast. A function gets the request URL. By default a `sampleForecast` in the units the
   * request asked for, at the requested coordinates and time zone.
   */
  forecast?: unknown;
  /** The geocoder's world: /geocoding/v1/search matches `name` case-insensitively. Defaults to [BERLIN]. */
  places?: GeocodingPlace[];
  /** HTTP 500 from the forecast / the geocoder. */
  failForecast?: boolean;
  failGeocoding?: boolean;
  /** Never answer anything. */
  hang?: boolean;
}

export interface WeatherServer extends LocalServer {
  /** For settings.sources.weather.baseUrl. */
  forecastBaseUrl: string;
  /** For settings.sources.weather.geocodingBaseUrl; a different path, so a mix-up shows as a 404. */
  geocodingBaseUrl: string;
  options: WeatherServerOptions;
  forecastRequests(): URL[];
  geocodingRequests(): URL[];
}

export async function startWeatherServer(options: WeatherServerOptions = {}): Promise<WeatherServer> {
  const server = await startServer(async (_req, res, url) => {
    const opts = fake.options;
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (opts.hang) return;
    if (url.pathname === '/v1/forecast') {
      answerForecast(res, url, opts);
    } else if (url.pathname === '/geocoding/v1/search') {
      answerSearch(res, url, opts);
    } else {
      sendJson(res, { error: true, reason: 'Not Found' }, 404);
    }
  });
  const requestsTo = (pathname: string) =>
    server.requests.map((r) => new URL(r.path, server.baseUrl)).filter((u) => u.pathname === pathname);
  const fake: WeatherServer = {
    ...server,
    forecastBaseUrl: `${server.baseUrl}/v1`,
    geocodingBaseUrl: `${server.baseUrl}/geocoding/v1`,
    options,
    forecastRequests: () => requestsTo('/v1/forecast'),
    geocodingRequests: () => requestsTo('/geocoding/v1/search'),
  };
  return fake;
}

function answerForecast(res: ServerResponse, url: URL, opts: WeatherServerOptions): void {
  if (opts.failForecast) {
    sendJson(res, { error: true, reason: 'Internal error' }, 500);
    return;
  }
  if (opts.forecast !== undefined) {
    sendJson(res, typeof opts.forecast === 'function' ? (opts.forecast as (u: URL) => unknown)(url) : opts.forecast);
    return;
  }
  const q = url.searchParams;
  const latitude = Number(q.get('latitude'));
  const longitude = Number(q.get('longitude'));
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    sendJson(res, { error: true, reason: 'Parameter latitude and longitude must be given' }, 400);
    return;
  }
  sendJson(
    res,
    sampleForecast({
      units: q.get('temperature_unit') === 'fahrenheit' ? 'imperial' : 'metric',
      latitude,
      longitude,
      timezone: q.get('timezone') ?? 'GMT',
      // Like the real service: the forecast is for today in the requested zone.
      date: opts.date ?? localDate(new Date(), q.get('timezone') ?? 'UTC'),
    }),
  );
}

function answerSearch(res: ServerResponse, url: URL, opts: WeatherServerOptions): void {
  if (opts.failGeocoding) {
    sendJson(res, { error: true, reason: 'Internal error' }, 500);
    return;
  }
  const name = (url.searchParams.get('name') ?? '').toLowerCase();
  const count = Number(url.searchParams.get('count') ?? 10);
  const hits = (opts.places ?? [BERLIN]).filter((p) => p.name.toLowerCase() === name).slice(0, count);
  // The real service leaves `results` out when nothing matches.
  sendJson(res, hits.length ? { results: hits, generationtime_ms: 0.5 } : { generationtime_ms: 0.3 });
}

export interface SampleForecastOptions {
  units?: 'metric' | 'imperial';
  latitude?: number;
  longitude?: number;
  timezone?: string;
  /** Local date, YYYY-MM-DD. */
  date?: string;
  weatherCode?: number;
  high?: number;
  low?: number;
  precipitationProbability?: number | null;
  precipitationSum?: number | null;
  windMax?: number | null;
  uvIndexMax?: number | null;
  /** Local "HH:MM". */
  sunrise?: string;
  sunset?: string;
  current?: { temperature?: number; weatherCode?: number; windSpeed?: number; time?: string };
}

/**
 * An Open-Meteo /v1/forecast response for one day, exactly as the service shapes it. Defaults: a wet January
 * day in Berlin (light rain, 3–8 °C, 80 % / 3.2 mm, wind 25 km/h, UV 1.2, now 5 °C overcast), or the same
 * day converted to °F / mph / inch for imperial.
 */
export function sampleForecast(overrides: SampleForecastOptions = {}): Record<string, unknown> {
  const imperial = overrides.units === 'imperial';
  const temp = (c: number) => (imperial ? round1((c * 9) / 5 + 32) : c);
  const speed = (kmh: number) => (imperial ? round1(kmh / 1.609344) : kmh);
  const rain = (mm: number) => (imperial ? Math.round((mm / 25.4) * 1000) / 1000 : mm);
  const date = overrides.date ?? '2024-01-15';
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  const current = overrides.current ?? {};
  const tUnit = imperial ? '°F' : '°C';
  const wUnit = imperial ? 'mp/h' : 'km/h';
  return {
    latitude: overrides.latitude ?? 52.52,
    longitude: overrides.longitude ?? 13.419998,
    generationtime_ms: 0.123,
    utc_offset_seconds: 3600,
    timezone: overrides.timezone ?? 'Europe/Berlin',
    timezone_abbreviation: 'GMT+1',
    elevation: 38,
    current_units: {
      time: 'iso8601',
      interval: 'seconds',
      temperature_2m: tUnit,
      weather_code: 'wmo code',
      wind_speed_10m: wUnit,
    },
    current: {
      time: current.time ?? `${date}T08:00`,
      interval: 900,
      temperature_2m: current.temperature ?? temp(5),
      weather_code: current.weatherCode ?? 3,
      wind_speed_10m: current.windSpeed ?? speed(12.3),
    },
    daily_units: {
      time: 'iso8601',
      weather_code: 'wmo code',
      temperature_2m_max: tUnit,
      temperature_2m_min: tUnit,
      precipitation_probability_max: '%',
      precipitation_sum: imperial ? 'inch' : 'mm',
      wind_speed_10m_max: wUnit,
      sunrise: 'iso8601',
      sunset: 'iso8601',
      uv_index_max: '',
    },
    daily: {
      time: [date],
      weather_code: [overrides.weatherCode ?? 61],
      temperature_2m_max: [overrides.high ?? temp(8)],
      temperature_2m_min: [overrides.low ?? temp(3)],
      precipitation_probability_max: [pick(overrides.precipitationProbability, 80)],
      precipitation_sum: [pick(overrides.precipitationSum, rain(3.2))],
      wind_speed_10m_max: [pick(overrides.windMax, speed(25))],
      sunrise: [`${date}T${overrides.sunrise ?? '07:58'}`],
      sunset: [`${date}T${overrides.sunset ?? '16:01'}`],
      uv_index_max: [pick(overrides.uvIndexMax, 1.2)],
    },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
