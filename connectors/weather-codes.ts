/**
 * WMO weather interpretation codes as Open-Meteo reports them (`weather_code`), in words that read well
 * mid-sentence ("light rain", "thunderstorm with hail"). Source: the code table in the Open-Meteo docs.
 */
const WMO_CODES: ReadonlyMap<number, string> = new Map([
  [0, 'clear sky'],
  [1, 'mainly clear'],
  [2, 'partly cloudy'],
  [3, 'overcast'],
  [45, 'fog'],
  [48, 'freezing fog'],
  [51, 'light drizzle'],
  [53, 'drizzle'],
  [55, 'heavy drizzle'],
  [56, 'light freezing drizzle'],
  [57, 'heavy freezing drizzle'],
  [61, 'light rain'],
  [63, 'rain'],
  [65, 'heavy rain'],
  [66, 'light freezing rain'],
  [67, 'heavy freezing rain'],
  [71, 'light snow'],
  [73, 'snow'],
  [75, 'heavy snow'],
  [77, 'snow grains'],
  [80, 'light rain showers'],
  [81, 'rain showers'],
  [82, 'violent rain showers'],
  [85, 'light snow showers'],
  [86, 'heavy snow showers'],
  [95, 'thunderstorm'],
  [96, 'thunderstorm with hail'],
  [99, 'thunderstorm with heavy hail'],
]);

const SNOW_CODES: ReadonlySet<number> = new Set([71, 73, 75, 77, 85, 86]);
/** Precipitation that freezes on contact; 48 (rime fog) also leaves ice on surfaces. */
const FREEZING_CODES: ReadonlySet<number> = new Set([48, 56, 57, 66, 67]);

/** Lower-case words for a WMO code. Unknown codes still produce something printable rather than failing the brief. */
export function describeWeatherCode(code: number): string {
  return WMO_CODES.get(code) ?? `unknown conditions (code ${code})`;
}

export function isSnowCode(code: number): boolean {
  return SNOW_CODES.has(code);
}

export function isFreezingCode(code: number): boolean {
  return FREEZING_CODES.has(code);
}

export function isKnownWeatherCode(code: number): boolean {
  return WMO_CODES.has(code);
}
