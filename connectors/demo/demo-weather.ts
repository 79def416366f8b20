import { localDate } from '../../core/time.ts';
import type { Item } from '../../core/types.ts';
import type { ConnectorContext } from '../types.ts';
import { forecastItem } from '../weather.ts';

export interface DemoWeather {
  code: number;
  currentCode: number;
  current: number;
  high: number;
  low: number;
  precipitationProbability: number;
  precipitationSum: number;
  windMax: number;
  sunrise: string;
  sunset: string;
}

/** The sample day's weather, shaped as Open-Meteo would send it and read by the real weather code. */
export function demoWeatherItem(w: DemoWeather, context: ConnectorContext): Item {
  const now = context.clock.now();
  const date = localDate(now, context.settings.location.timezone);
  const forecast = {
    current: { time: `${date}T07:00`, temperature_2m: w.current, weather_code: w.currentCode, wind_speed_10m: 12 },
    daily_units: { temperature_2m_max: '°C' },
    daily: {
      time: [date],
      weather_code: [w.code],
      temperature_2m_max: [w.high],
      temperature_2m_min: [w.low],
      precipitation_probability_max: [w.precipitationProbability],
      precipitation_sum: [w.precipitationSum],
      wind_speed_10m_max: [w.windMax],
      sunrise: [`${date}T${w.sunrise}`],
      sunset: [`${date}T${w.sunset}`],
    },
  };
  return forecastItem(forecast, context.settings.location.name, 'metric', now);
}
