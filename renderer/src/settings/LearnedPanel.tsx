import { useEffect, useState } from 'react';
import { errorLine, type ApiResults, type DailyBriefClient } from '../client/types.ts';
import { StatusLine } from '../StatusLine.tsx';

type Preferences = ApiResults['preferences/get'];

/** What the votes taught the app, in words, with the mutes to lift and a way to forget it all. */
export function LearnedPanel({ client }: { client: DailyBriefClient }) {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    client['preferences/get']({}).then(setPrefs, (failure: unknown) => {
      setStatus({ text: errorLine(failure), error: true });
    });
  }, [client]);

  const act = (run: () => Promise<unknown>, done: string) => {
    run()
      .then(() => client['preferences/get']({}))
      .then(
        (next) => {
          setPrefs(next);
          setStatus({ text: done, error: false });
        },
        (failure: unknown) => {
          setStatus({ text: errorLine(failure), error: true });
        },
      );
  };

  if (!prefs) return status ? <p className="error">{status.text}</p> : null;
  return (
    <fieldset>
      <legend>What it has learned</legend>
      <p className="muted">Feedback events so far: {prefs.eventCount}.</p>
      {prefs.learned.length > 0 && (
        <ul aria-label="Learned preferences">
          {prefs.learned.map((entry) => (
            // The line says which way it goes ("You like …", "You skip …").
            <li key={entry.label}>{entry.label}</li>
          ))}
        </ul>
      )}
      {prefs.mutes.length > 0 && (
        <ul aria-label="Muted">
          {prefs.mutes.map((mute) => (
            <li key={`${mute.scope}:${mute.value}`}>
              {mute.label}{' '}
              <button
                type="button"
                aria-label={`Unmute ${mute.label}`}
                onClick={() => {
                  act(() => client['preferences/unmute']({ scope: mute.scope, value: mute.value }), 'Unmuted.');
                }}
              >
                Unmute
              </button>
            </li>
          ))}
        </ul>
      )}
      {confirming ? (
        <p role="group" aria-label="Forget everything learned">
          Forget every vote and mute? This cannot be undone.{' '}
          <button
            type="button"
            onClick={() => {
              setConfirming(false);
              act(() => client['preferences/reset']({}), 'Forgotten: every vote and mute.');
            }}
          >
            Forget them
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              setConfirming(false);
            }}
          >
            Keep them
          </button>
        </p>
      ) : (
        <button
          type="button"
          disabled={prefs.learned.length === 0 && prefs.mutes.length === 0}
          onClick={() => {
            setConfirming(true);
          }}
        >
          Forget all votes and mutes
        </button>
      )}
      <StatusLine status={status} />
    </fieldset>
  );
}
