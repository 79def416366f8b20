import { describe, expect, test } from 'vitest';
import {
  ADVICE,
  adviseWeather,
  FREEZING_C,
  FREEZING_F,
  HOT_HIGH_C,
  HOT_HIGH_F,
  IMPERIAL_THRESHOLDS,
  JACKET_HIGH_C,
  JACKET_HIGH_F,
  METRIC_THRESHOLDS,
  SUNSCREEN_UV_INDEX,
  thresholdsFor,
  UMBRELLA_PROBABILITY_PERCENT,
  UMBRELLA_SUM_INCH,
  UMBRELLA_SUM_MM,
  WARM_COAT_LOW_C,
  WARM_COAT_LOW_F,
  WINDY_KMH,
  WINDY_MPH,
  type DailyWeather,
} from './weather-advice.ts';

/** Mild, dry, calm days that trigger no advice at all, so each case below changes exactly one figure. */
const MILD_METRIC: DailyWeather = {
  weatherCode: 1,
  high: 20,
  low: 10,
  precipitationProbability: 0,
  precipitationSum: 0,
  windMax: 10,
  uvIndexMax: 3,
};
const MILD_IMPERIAL: DailyWeather = { ...MILD_METRIC, high: 68, low: 50, windMax: 6 };

const metric = (change: Partial<DailyWeather>) => adviseWeather({ ...MILD_METRIC, ...change }, 'metric');
const imperial = (change: Partial<DailyWeather>) => adviseWeather({ ...MILD_IMPERIAL, ...change }, 'imperial');

test('the stated thresholds, and their imperial conversions', () => {
  expect([UMBRELLA_PROBABILITY_PERCENT, UMBRELLA_SUM_MM, UMBRELLA_SUM_INCH]).toEqual([50, 1, 0.04]);
  expect([WARM_COAT_LOW_C, WARM_COAT_LOW_F, JACKET_HIGH_C, JACKET_HIGH_F]).toEqual([5, 41, 15, 59]);
  expect([SUNSCREEN_UV_INDEX, HOT_HIGH_C, HOT_HIGH_F, WINDY_KMH, WINDY_MPH]).toEqual([6, 30, 86, 40, 25]);
  expect([FREEZING_C, FREEZING_F]).toEqual([0, 32]);
  // The imperial figures are the metric ones converted, to within the rounding people use.
  expect(Math.abs((WARM_COAT_LOW_C * 9) / 5 + 32 - WARM_COAT_LOW_F)).toBeLessThan(0.5);
  expect(Math.abs((JACKET_HIGH_C * 9) / 5 + 32 - JACKET_HIGH_F)).toBeLessThan(0.5);
  expect(Math.abs((HOT_HIGH_C * 9) / 5 + 32 - HOT_HIGH_F)).toBeLessThan(0.5);
  expect(Math.abs(WINDY_KMH / 1.609344 - WINDY_MPH)).toBeLessThan(0.5);
  expect(Math.abs(UMBRELLA_SUM_MM / 25.4 - UMBRELLA_SUM_INCH)).toBeLessThan(0.005);
  expect(thresholdsFor('metric')).toBe(METRIC_THRESHOLDS);
  expect(thresholdsFor('imperial')).toBe(IMPERIAL_THRESHOLDS);
});

test('a mild, dry, calm day needs no advice', () => {
  expect(metric({})).toEqual([]);
  expect(imperial({})).toEqual([]);
});

describe('umbrella', () => {
  test.each([
    [{ precipitationProbability: 49 }, []],
    [{ precipitationProbability: 50 }, [ADVICE.umbrella]],
    [{ precipitationSum: 0.9 }, []],
    [{ precipitationSum: 1 }, [ADVICE.umbrella]],
    [{ precipitationProbability: 20, precipitationSum: 2.5 }, [ADVICE.umbrella]],
  ])('metric %o', (change, expected) => {
    expect(metric(change)).toEqual(expected);
  });

  test.each([
    [{ precipitationProbability: 49 }, []],
    [{ precipitationProbability: 50 }, [ADVICE.umbrella]],
    [{ precipitationSum: 0.03 }, []],
    [{ precipitationSum: 0.04 }, [ADVICE.umbrella]],
  ])('imperial %o', (change, expected) => {
    expect(imperial(change)).toEqual(expected);
  });

  test('0.9 counts as a lot of rain in inches but not in millimetres', () => {
    expect(metric({ precipitationSum: 0.9 })).toEqual([]);
    expect(imperial({ precipitationSum: 0.9 })).toEqual([ADVICE.umbrella]);
  });
});

describe('warm coat and jacket', () => {
  test.each([
    [{ low: 5 }, []],
    [{ low: 4.9 }, [ADVICE.warmCoat]],
    [{ low: 10, high: 15 }, []],
    [{ low: 10, high: 14.9 }, [ADVICE.jacket]],
    // The coat covers the jacket: a cold day gets one line, not two.
    [{ low: 2, high: 9 }, [ADVICE.warmCoat]],
  ])('metric %o', (change, expected) => {
    expect(metric(change)).toEqual(expected);
  });

  test.each([
    [{ low: 41 }, []],
    [{ low: 40.9 }, [ADVICE.warmCoat]],
    [{ low: 50, high: 59 }, []],
    [{ low: 50, high: 58.9 }, [ADVICE.jacket]],
    [{ low: 35, high: 45 }, [ADVICE.warmCoat]],
  ])('imperial %o', (change, expected) => {
    expect(imperial(change)).toEqual(expected);
  });

  test('a 40 °F morning is cold, a 40 °C one is not', () => {
    expect(imperial({ low: 40, high: 60 })).toEqual([ADVICE.warmCoat]);
    expect(metric({ low: 25, high: 40 })).toEqual([ADVICE.hot]);
  });
});

describe('sunscreen', () => {
  test.each([
    [5.9, []],
    [6, [ADVICE.sunscreen]],
    [9.5, [ADVICE.sunscreen]],
  ])('UV %d', (uv, expected) => {
    expect(metric({ uvIndexMax: uv })).toEqual(expected);
    expect(imperial({ uvIndexMax: uv })).toEqual(expected);
  });

  test('no UV figure, no sunscreen line', () => {
    const withoutUv: DailyWeather = { ...MILD_METRIC };
    delete withoutUv.uvIndexMax;
    expect(adviseWeather(withoutUv, 'metric')).toEqual([]);
  });
});

describe('hot', () => {
  test.each([
    ['metric', 29.9, []],
    ['metric', 30, [ADVICE.hot]],
    ['imperial', 85.9, []],
    ['imperial', 86, [ADVICE.hot]],
  ] as const)('%s high %d', (units, high, expected) => {
    expect(units === 'metric' ? metric({ high }) : imperial({ high })).toEqual(expected);
  });
});

describe('windy', () => {
  test.each([
    ['metric', 39.9, []],
    ['metric', 40, [ADVICE.windy]],
    ['imperial', 24.9, []],
    ['imperial', 25, [ADVICE.windy]],
  ] as const)('%s wind %d', (units, windMax, expected) => {
    expect(units === 'metric' ? metric({ windMax }) : imperial({ windMax })).toEqual(expected);
  });

  test('25 km/h is a breeze, 25 mph is windy', () => {
    expect(metric({ windMax: 25 })).toEqual([]);
    expect(imperial({ windMax: 25 })).toEqual([ADVICE.windy]);
  });
});

describe('snow and ice', () => {
  test.each([71, 73, 75, 77, 85, 86])('snow code %i', (weatherCode) => {
    expect(metric({ weatherCode })).toEqual([ADVICE.snow]);
  });

  test.each([56, 57, 66, 67])('freezing precipitation code %i', (weatherCode) => {
    expect(metric({ weatherCode })).toEqual([ADVICE.ice]);
  });

  test('a low at or below freezing warns of ice, just above does not', () => {
    expect(metric({ low: 0, high: 20 })).toEqual([ADVICE.warmCoat, ADVICE.ice]);
    expect(metric({ low: 0.1, high: 20 })).toEqual([ADVICE.warmCoat]);
    expect(imperial({ low: 32, high: 68 })).toEqual([ADVICE.warmCoat, ADVICE.ice]);
    expect(imperial({ low: 32.1, high: 68 })).toEqual([ADVICE.warmCoat]);
  });

  test('snow on a freezing day is one line, the snow one', () => {
    expect(metric({ weatherCode: 73, low: -4, high: 1 })).toEqual([ADVICE.warmCoat, ADVICE.snow]);
  });
});

test('everything at once comes in a fixed order', () => {
  const stormy: DailyWeather = {
    weatherCode: 85,
    high: 31,
    low: -1,
    precipitationProbability: 90,
    precipitationSum: 12,
    windMax: 55,
    uvIndexMax: 7,
  };
  expect(adviseWeather(stormy, 'metric')).toEqual([
    ADVICE.umbrella,
    ADVICE.warmCoat,
    ADVICE.sunscreen,
    ADVICE.hot,
    ADVICE.windy,
    ADVICE.snow,
  ]);
});

test('a realistic imperial winter day', () => {
  // Chicago in January: 18–29 °F, 60 % / 0.15 in of snow, 22 mph.
  const day: DailyWeather = {
    weatherCode: 73,
    high: 29,
    low: 18,
    precipitationProbability: 60,
    precipitationSum: 0.15,
    windMax: 22,
    uvIndexMax: 1.5,
  };
  expect(adviseWeather(day, 'imperial')).toEqual([ADVICE.umbrella, ADVICE.warmCoat, ADVICE.snow]);
  // Read as metric, the same figures are a warm (if snowy) day: no coat.
  expect(adviseWeather(day, 'metric')).toEqual([ADVICE.umbrella, ADVICE.snow]);
});
