import { isFreezingCode, isSnowCode } from './weather-codes.ts';

/**
 * Practical advice for the day from the daily forecast. Pure: same input, same lines, in a fixed order.
 *
 * Thresholds (metric / imperial; imperial figures are the metric ones rounded to what people say):
 *   - umbrella:    precipitation probability >= 50 %, or precipitation sum >= 1 mm (0.04 in)
 *   - warm coat:   low < 5 °C (41 °F)
 *   - jacket:      high < 15 °C (59 °F), only when no warm coat is advised (the coat covers it)
 *   - sunscreen:   UV index max >= 6, only when the forecast carries a UV index
 *   - hot:         high >= 30 °C (86 °F): drink water, avoid the midday sun
 *   - windy:       wind max >= 40 km/h (25 mph)
 *   - snow / ice:  a snow code, a freezing-precipitation code, or a low <= 0 °C (32 °F); one line, snow first
 * A value exactly on a threshold counts as reaching it for ">=" rules and not for "<" rules.
 */

export const UMBRELLA_PROBABILITY_PERCENT = 50;
export const UMBRELLA_SUM_MM = 1;
export const UMBRELLA_SUM_INCH = 0.04;
export const WARM_COAT_LOW_C = 5;
export const WARM_COAT_LOW_F = 41;
export const JACKET_HIGH_C = 15;
export const JACKET_HIGH_F = 59;
export const SUNSCREEN_UV_INDEX = 6;
export const HOT_HIGH_C = 30;
export const HOT_HIGH_F = 86;
export const WINDY_KMH = 40;
export const WINDY_MPH = 25;
export const FREEZING_C = 0;
export const FREEZING_F = 32;

export type Units = 'metric' | 'imperial';

/** The daily figures advice needs, in the units the forecast was requested in. */
export interface DailyWeather {
  weatherCode: number;
  high: number;
  low: number;
  /** Percent, 0-100. */
  precipitationProbability: number;
  /** mm (metric) or inches (imperial). */
  precipitationSum: number;
  /** km/h (metric) or mph (imperial). */
  windMax: number;
  uvIndexMax?: number;
}

export interface AdviceThresholds {
  umbrellaProbability: number;
  umbrellaSum: number;
  warmCoatLow: number;
  jacketHigh: number;
  sunscreenUv: number;
  hotHigh: number;
  windy: number;
  freezing: number;
}

export const METRIC_THRESHOLDS: Readonly<AdviceThresholds> = {
  umbrellaProbability: UMBRELLA_PROBABILITY_PERCENT,
  umbrellaSum: UMBRELLA_SUM_MM,
  warmCoatLow: WARM_COAT_LOW_C,
  jacketHigh: JACKET_HIGH_C,
  sunscreenUv: SUNSCREEN_UV_INDEX,
  hotHigh: HOT_HIGH_C,
  windy: WINDY_KMH,
  freezing: FREEZING_C,
};

export const IMPERIAL_THRESHOLDS: Readonly<AdviceThresholds> = {
  umbrellaProbability: UMBRELLA_PROBABILITY_PERCENT,
  umbrellaSum: UMBRELLA_SUM_INCH,
  warmCoatLow: WARM_COAT_LOW_F,
  jacketHigh: JACKET_HIGH_F,
  sunscreenUv: SUNSCREEN_UV_INDEX,
  hotHigh: HOT_HIGH_F,
  windy: WINDY_MPH,
  freezing: FREEZING_F,
};

export function thresholdsFor(units: Units): Readonly<AdviceThresholds> {
  return units === 'imperial' ? IMPERIAL_THRESHOLDS : METRIC_THRESHOLDS;
}

export const ADVICE = {
  umbrella: 'Take an umbrella.',
  warmCoat: 'Wear a warm coat.',
  jacket: 'Bring a jacket.',
  sunscreen: 'Wear sunscreen: the UV index is high.',
  hot: 'Hot day: drink plenty of water.',
  windy: 'Windy: secure loose items.',
  snow: 'Snow expected: allow extra travel time.',
  ice: 'Risk of ice: take care on roads and paths.',
} as const;

export function adviseWeather(daily: DailyWeather, units: Units): string[] {
  const t = thresholdsFor(units);
  const advice: string[] = [];
  if (daily.precipitationProbability >= t.umbrellaProbability || daily.precipitationSum >= t.umbrellaSum) {
    advice.push(ADVICE.umbrella);
  }
  if (daily.low < t.warmCoatLow) advice.push(ADVICE.warmCoat);
  else if (daily.high < t.jacketHigh) advice.push(ADVICE.jacket);
  if (daily.uvIndexMax !== undefined && daily.uvIndexMax >= t.sunscreenUv) advice.push(ADVICE.sunscreen);
  if (daily.high >= t.hotHigh) advice.push(ADVICE.hot);
  if (daily.windMax >= t.windy) advice.push(ADVICE.windy);
  if (isSnowCode(daily.weatherCode)) advice.push(ADVICE.snow);
  else if (isFreezingCode(daily.weatherCode) || daily.low <= t.freezing) advice.push(ADVICE.ice);
  return advice;
}
