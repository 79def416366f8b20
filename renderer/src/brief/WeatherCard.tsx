import type { WeatherSummary } from '../client/types.ts';

export function WeatherCard({ weather }: { weather: WeatherSummary }) {
  const unit = weather.units === 'metric' ? '°C' : '°F';
  return (
    <section className="card weather" aria-labelledby="weather-heading">
      <h2 id="weather-heading">
        Weather in {weather.location}
        {weather.stale && <span className="badge stale">earlier forecast</span>}
      </h2>
      <p className="weather-figures">
        {Math.round(weather.high)}
        {unit} / {Math.round(weather.low)}
        {unit} · {weather.precipitationProbability}% rain · now {weather.current}
      </p>
      <p>{weather.summary}</p>
      {weather.advice.length > 0 && (
        <ul className="advice" aria-label="Advice">
          {weather.advice.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
