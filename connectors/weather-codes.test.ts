import { describe, expect, test } from 'vitest';
import { describeWeatherCode, isFreezingCode, isKnownWeatherCode, isSnowCode } from './weather-codes.ts';

describe('describeWeatherCode', () => {
  test.each([
    [0, 'clear sky'],
    [1, 'mainly clear'],
    [2, 'partly cloudy'],
    [3, 'overcast'],
    [45, 'fog'],
    [48, 'freezing fog'],
    [51, 'light drizzle'],
    [55, 'heavy drizzle'],
    [56, 'light freezing drizzle'],
    [61, 'light rain'],
    [63, 'rain'],
    [65, 'heavy rain'],
    [67, 'heavy freezing rain'],
    [71, 'light snow'],
    [77, 'snow grains'],
    [80, 'light rain showers'],
    [82, 'violent rain showers'],
    [86, 'heavy snow showers'],
    [95, 'thunderstorm'],
    [96, 'thunderstorm with hail'],
    [99, 'thunderstorm with heavy hail'],
  ])('code %i is "%s"', (code, words) => {
    expect(describeWeatherCode(code)).toBe(words);
  });

  test('covers every code of the WMO table Open-Meteo uses', () => {
    const table = [
      0, 1, 2, 3, 45, 48, 51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 71, 73, 75, 77, 80, 81, 82, 85, 86, 95, 96, 99,
    ];
    expect(table.filter((code) => !isKnownWeatherCode(code))).toEqual([]);
  });

  test('an unknown code still reads as words, with the code for debugging', () => {
    expect(describeWeatherCode(42)).toBe('unknown conditions (code 42)');
    expect(isKnownWeatherCode(42)).toBe(false);
  });
});

describe('snow and freezing codes', () => {
  test('snow codes are exactly the snowfall, snow grains and snow shower codes', () => {
    const all = Array.from({ length: 100 }, (_, i) => i);
    expect(all.filter(isSnowCode)).toEqual([71, 73, 75, 77, 85, 86]);
  });

  test('freezing codes are rime fog, freezing drizzle and freezing rain', () => {
    const all = Array.from({ length: 100 }, (_, i) => i);
    expect(all.filter(isFreezingCode)).toEqual([48, 56, 57, 66, 67]);
  });
});
