import { useState } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient, type Settings } from '../client/types.ts';
import { Field, type FieldErrors } from './Field.tsx';
import { ErrorLine } from '../StatusLine.tsx';

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

type Place = ApiResults['location/search'][number];

interface Props {
  client: DailyBriefClient;
  location: Settings['location'];
  errors: FieldErrors;
  onChange: (location: Settings['location']) => void;
}

export function LocationSearch({ client, location, errors, onChange }: Props) {
  const [query, setQuery] = useState('');
  const [places, setPlaces] = useState<Place[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function search(): Promise<void> {
    setError(null);
    try {
      setPlaces(await client['location/search']({ query }));
    } catch (failure) {
      setError(errorLine(failure));
    }
  }

  return (
    <fieldset>
      <legend>Where you are</legend>
      <p>
        Now: <strong>{location.name}</strong>
        {location.latitude !== undefined && location.longitude !== undefined && (
          <span className="muted">
            {' '}
            ({location.latitude.toFixed(2)}, {location.longitude.toFixed(2)})
          </span>
        )}
      </p>
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <Field label="Find a place" path="location.name" errors={errors}>
          {(props) => (
            <input
              {...props}
              type="search"
              value={query}
              onChange={(event) => {
                setQuery(event.currentTarget.value);
              }}
            />
          )}
        </Field>
        <button type="submit" disabled={!query.trim()}>
          Search
        </button>
      </form>
      <ErrorLine text={error} />
      {places?.length === 0 && <p>No place of that name.</p>}
      {places && places.length > 0 && (
        <ul className="places" aria-label="Places found">
          {places.map((place) => {
            const label = [place.name, place.admin1, place.country].filter(Boolean).join(', ');
            return (
              <li key={`${place.latitude},${place.longitude}`}>
                <button
                  type="button"
                  onClick={() => {
                    onChange({
                      name: place.name,
                      latitude: place.latitude,
                      longitude: place.longitude,
                      timezone: place.timezone ?? location.timezone,
                    });
                    setPlaces(null);
                  }}
                >
                  Use {label}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Field label="Time zone" path="location.timezone" errors={errors}>
        {(props) => (
          <>
            {/* Typing filters the browser's own list of zones: searchable, and any valid zone can still be typed. */}
            <input
              {...props}
              type="text"
              list="time-zones"
              autoComplete="off"
              value={location.timezone}
              onChange={(event) => {
                onChange({ ...location, timezone: event.currentTarget.value });
              }}
            />
            <datalist id="time-zones">
              {TIME_ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </fieldset>
  );
}
