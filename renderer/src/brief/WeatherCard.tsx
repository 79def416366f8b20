import type { WeatherSummary } from '../client/types.ts';
import { Icon, type IconName } from '../ui/Icon.tsx';

function iconFor(weather: WeatherSummary): IconName {
  const text = `${weather.summary} ${weather.current}`.toLowerCase();
  if (/snow|sleet/.test(text)) return 'snow';
  if (weather.precipitationProbability >= 50 || /rain|shower|drizzle|storm/.test(text)) return 'rain';
  if (/cloud|overcast|fog/.test(text)) return 'cloud';
  return 'sun';
}

/** One compact card: an icon, high and low, the chance of rain, and the advice that follows from it. */
export function WeatherCard({ weather }: { weather: WeatherSummary }) {
  const unit = weather.units === 'metric' ? '°C' : '°F';
  return (
    <section className="weather" aria-labelledby="weather-heading">
      <span className="weather-icon">
        <Icon name={iconFor(weather)} size={28} />
      </span>
      <div>
        <h3 id="weather-heading">
          Weather in {weather.location}
          {weather.stale && <span className="badge stale">earlier forecast</span>}
        </h3>
        <p className="weather-figures">
          {Math.round(weather.high)}
          {unit} / {Math.round(weather.low)}
          {unit} · {weather.precipitationProbability}% chance of rain · now {weather.current}
        </p>
        <p className="weather-summary">
          {weather.summary}
          {weather.advice.length > 0 && ` ${weather.advice.join(' ')}`}
        </p>
      </div>
    </section>
  );
}
