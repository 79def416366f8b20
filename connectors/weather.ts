import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { httpGetJson } from '../core/http.ts';
import type { Settings } from '../core/settings.ts';
import type { Item, ResolvedPlace, WeatherSummary } from '../core/types.ts';

export type { ResolvedPlace } from '../core/types.ts';
import type { Connector, ConnectorContext, ConnectorResult } from './types.ts';
import { adviseWeather, type Units } from './weather-advice.ts';
import { describeWeatherCode } from './weather-codes.ts';

const DAILY_FIELDS = [
  'weather_code',
  'temperature_2m_max',
  'temperature_2m_min',
  'precipitation_probability_max',
  'precipitation_sum',
  'wind_speed_10m_max',
  'sunrise',
  'sunset',
  'uv_index_max',
].join(',');
const CURRENT_FIELDS = 'temperature_2m,weather_code,wind_speed_10m';
const IMPERIAL_PARAMS = '&temperature_unit=fahrenheit&wind_speed_unit=mph&precipitation_unit=inch';

// The cache outlives versions of this code, so what comes back from it is checked like any other input.
const placeSchema = z.object({
  name: z.string().min(1),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  country: z.string().optional(),
  admin1: z.string().optional(),
  timezone: z.string().optional(),
});

// Open-Meteo omits `results` entirely when nothing matches.
const geocodingSchema = z.object({ results: z.array(placeSchema).optional() });

// Open-Meteo puts null in a daily slot when a model has no value for it; only the core figures must be present.
const numberOrNull = z.number().nullable();
const oneOrMore = <T extends z.ZodType>(element: T) => z.array(element).min(1);
const forecastSchema = z.object({
  current: z.object({
    time: z.string(),
    temperature_2m: z.number(),
    weather_code: z.int(),
    wind_speed_10m: numberOrNull.optional(),
  }),
  daily_units: z.object({
    temperature_2m_max: z.string(),
  }),
  daily: z.object({
    time: oneOrMore(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date')),
    weather_code: oneOrMore(z.int()),
    temperature_2m_max: oneOrMore(z.number()),
    temperature_2m_min: oneOrMore(z.number()),
    precipitation_probability_max: oneOrMore(numberOrNull),
    precipitation_sum: oneOrMore(numberOrNull),
    wind_speed_10m_max: oneOrMore(numberOrNull),
    sunrise: oneOrMore(z.string().nullable()),
    sunset: oneOrMore(z.string().nullable()),
    uv_index_max: oneOrMore(numberOrNull).optional(),
  }),
});

type Forecast = z.infer<typeof forecastSchema>;

const UNIT_LABELS = {
  metric: { temperature: '°C', wind: 'km/h', precipitation: 'mm', precipitationDigits: 1 },
  imperial: { temperature: '°F', wind: 'mph', precipitation: 'in', precipitationDigits: 2 },
} as const;

export const weatherConnector: Connector = {
  id: 'weather',
  label: 'Weather (Open-Meteo)',
  kinds: ['weather'],
  enabled: (settings: Settings) => settings.sources.weather.enabled,
  fetch: fetchWeather,
};

async function fetchWeather(context: ConnectorContext): Promise<ConnectorResult> {
  const { settings } = context;
  const units = settings.sources.weather.units;
  const place = await resolvePlace(context);
  const url =
    `${trimSlash(settings.sources.weather.baseUrl)}/forecast?latitude=${place.latitude}&longitude=${place.longitude}` +
    `&timezone=${encodeURIComponent(settings.location.timezone)}&forecast_days=1` +
    `&current=${CURRENT_FIELDS}&daily=${DAILY_FIELDS}` +
    (units === 'imperial' ? IMPERIAL_PARAMS : '');
  const raw = await httpGetJson({
    url,
    signal: context.signal,
    timeoutMs: context.requestTimeoutMs,
    maxBytes: settings.refresh.maxResponseBytes,
  });
  return { items: [forecastItem(raw, place.name, units, context.clock.now())], warnings: [] };
}

/** Turns an Open-Meteo forecast response (checked here) into the day's weather item. */
export function forecastItem(raw: unknown, placeName: string, units: Units, now: Date): Item {
  const forecast = parseOrThrow(forecastSchema, raw, 'forecast');
  checkUnits(forecast, units);
  const summary = summarize(forecast, placeName, units);
  return {
    id: summary.itemId,
    kind: 'weather',
    source: 'weather',
    origin: placeName,
    title: titleFor(forecast, placeName, units),
    snippet: summary.summary,
    publishedAt: now.toISOString(),
    tags: [],
    meta: { ...summary },
  };
}

async function resolvePlace(context: ConnectorContext): Promise<ResolvedPlace> {
  const { location } = context.settings;
  if (location.latitude !== undefined && location.longitude !== undefined) {
    return { name: location.name, latitude: location.latitude, longitude: location.longitude };
  }
  const key = `geocode:${location.name.toLowerCase()}`;
  const cached = placeSchema.safeParse(context.cache.getValue(key));
  if (cached.success) return cached.data;

  const [place] = await searchPlaces(context.settings, location.name, {
    signal: context.signal,
    timeoutMs: context.requestTimeoutMs,
    count: 1,
  });
  if (!place) {
    throw new AppError('place_not_found', `could not find the place "${location.name}"`, {
      hint: 'Check the spelling of location.name in settings, or set location.latitude and location.longitude',
    });
  }
  context.cache.putValue(key, place);
  return place;
}

/** Open-Meteo geocoding: places whose name matches, best first (the weather source and the settings' search). */
export async function searchPlaces(
  settings: Settings,
  name: string,
  options: { signal: AbortSignal; timeoutMs: number; count: number },
): Promise<ResolvedPlace[]> {
  const url =
    `${trimSlash(settings.sources.weather.geocodingBaseUrl)}/search?name=${encodeURIComponent(name)}` +
    `&count=${options.count}&language=en&format=json`;
  const raw = await httpGetJson({
    url,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxBytes: settings.refresh.maxResponseBytes,
  });
  return (parseOrThrow(geocodingSchema, raw, 'place search').results ?? []).map((found) => ({
    name: found.name,
    latitude: found.latitude,
    longitude: found.longitude,
    ...(found.country !== undefined && { country: found.country }),
    ...(found.admin1 !== undefined && { admin1: found.admin1 }),
    ...(found.timezone !== undefined && { timezone: found.timezone }),
  }));
}

function parseOrThrow<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(top level)';
  throw new AppError(
    'bad_response',
    `Open-Meteo sent an unexpected ${what} (${field}: ${issue?.message ?? 'invalid'})`,
    {
      hint: 'Check the weather base URLs in settings; the service may have changed its format',
      cause: result.error,
    },
  );
}

/** A server that ignored the unit parameters would otherwise have us print Celsius figures as Fahrenheit. */
function checkUnits(forecast: Forecast, units: Units): void {
  const declared = forecast.daily_units.temperature_2m_max;
  const expected = UNIT_LABELS[units].temperature;
  if (declared !== expected) {
    throw new AppError('bad_response', `Open-Meteo answered in ${declared} instead of ${expected}`, {
      hint: 'Check the weather base URL in settings',
    });
  }
}

function summarize(forecast: Forecast, location: string, units: Units): WeatherSummary {
  const { daily, current } = forecast;
  const labels = UNIT_LABELS[units];
  // The schema guarantees at least one entry in every daily array.
  const date = first(daily.time);
  const code = first(daily.weather_code);
  const high = first(daily.temperature_2m_max);
  const low = first(daily.temperature_2m_min);
  const probability = first(daily.precipitation_probability_max);
  const sum = first(daily.precipitation_sum);
  const wind = first(daily.wind_speed_10m_max);
  const uv = daily.uv_index_max?.[0] ?? null;
  const sunrise = localTime(first(daily.sunrise));
  const sunset = localTime(first(daily.sunset));

  const deg = (value: number) => `${Math.round(value)} ${labels.temperature}`;
  const currentText = `${deg(current.temperature_2m)}, ${describeWeatherCode(current.weather_code)}`;

  const parts = [capitalize(describeWeatherCode(code)), `high ${deg(high)}`, `low ${deg(low)}`];
  if (probability !== null) {
    const amount =
      sum !== null && sum > 0 ? ` (${sum.toFixed(labels.precipitationDigits)} ${labels.precipitation})` : '';
    parts.push(`${Math.round(probability)}% chance of precipitation${amount}`);
  } else if (sum !== null && sum > 0) {
    parts.push(`${sum.toFixed(labels.precipitationDigits)} ${labels.precipitation} of precipitation`);
  }
  if (wind !== null) parts.push(`wind up to ${Math.round(wind)} ${labels.wind}`);
  const sentences = [`${parts.join(', ')}.`, `Now ${currentText}.`];
  if (sunrise && sunset) sentences.push(`Sunrise ${sunrise}, sunset ${sunset}.`);
  else if (sunrise) sentences.push(`Sunrise ${sunrise}.`);
  else if (sunset) sentences.push(`Sunset ${sunset}.`);

  return {
    itemId: `weather:${date}`,
    location,
    summary: sentences.join(' '),
    advice: adviseWeather(
      {
        weatherCode: code,
        high,
        low,
        precipitationProbability: probability ?? 0,
        precipitationSum: sum ?? 0,
        windMax: wind ?? 0,
        ...(uv !== null && { uvIndexMax: uv }),
      },
      units,
    ),
    high,
    low,
    precipitationProbability: probability ?? 0,
    precipitationSum: sum ?? 0,
    windMax: wind ?? 0,
    current: currentText,
    units,
    ...(sunrise !== undefined && { sunrise }),
    ...(sunset !== undefined && { sunset }),
  };
}

function titleFor(forecast: Forecast, location: string, units: Units): string {
  const { daily } = forecast;
  const low = Math.round(first(daily.temperature_2m_min));
  const high = Math.round(first(daily.temperature_2m_max));
  // "-7–-1" is hard to read; a dash range only works for non-negative numbers.
  const range = low < 0 ? `${low} to ${high}` : `${low}–${high}`;
  return `${location}: ${describeWeatherCode(first(daily.weather_code))}, ${range} ${UNIT_LABELS[units].temperature}`;
}

/** With `timezone` set, Open-Meteo sends local wall-clock times like "2024-01-15T07:58", which is what we show. */
function localTime(iso: string | null): string | undefined {
  if (iso === null) return undefined;
  return /T(\d{2}:\d{2})/.exec(iso)?.[1];
}

function first<T>(values: readonly T[]): T {
  const value = values[0];
  if (value === undefined) throw new AppError('bad_response', 'Open-Meteo sent an empty daily forecast');
  return value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
