import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppMode } from '../../../contract/results.ts';
import { errorLine, type DailyBriefClient } from '../client/types.ts';
import type { RefreshState } from './RefreshBar.tsx';

/** The view the app opens on after a switch. */
export type Opening = 'brief' | 'settings';

export interface SampleDayState {
  /** Null until the app has said (the user's own brief is assumed meanwhile). */
  mode: AppMode | null;
  /** Changes with every switch: the reading view starts afresh, so nothing of one day lingers in the other. */
  generation: number;
  opening: Opening;
  switching: boolean;
  error: string | null;
  enter: () => void;
  leave: (opening?: Opening) => void;
}

/** Which day the app shows, followed from its events, so every open window switches together. */
export function useSampleDay(client: DailyBriefClient): SampleDayState {
  const [mode, setMode] = useState<AppMode | null>(null);
  const [generation, setGeneration] = useState(0);
  const [opening, setOpening] = useState<Opening>('brief');
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef<AppMode | null>(null);
  const heard = useRef(false);

  const apply = useCallback((next: AppMode) => {
    if (shown.current && shown.current.mode !== next.mode) setGeneration((g) => g + 1);
    shown.current = next;
    setMode(next);
  }, []);

  const switchTo = useCallback(
    (call: 'demo/enter' | 'demo/leave', view: Opening) => {
      setOpening(view);
      setSwitching(true);
      setError(null);
      client[call]({})
        .then(apply, (failure: unknown) => {
          setError(errorLine(failure));
        })
        .finally(() => {
          setSwitching(false);
        });
    },
    [client, apply],
  );

  useEffect(() => {
    let live = true;
    const off = client.onEvent((event) => {
      if (event.type === 'mode') {
        heard.current = true;
        apply({ mode: event.mode, canLeave: event.canLeave });
      }
      // A click on the notification of a new brief: the user's own, so the sample day makes way for it.
      if (event.type === 'open-brief' && shown.current?.mode === 'sample' && shown.current.canLeave) {
        switchTo('demo/leave', 'brief');
      }
    });
    client['demo/status']({}).then(
      (status) => {
        // An event that came first is newer than this answer.
        if (live && !heard.current) apply(status);
      },
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [client, apply, switchTo]);

  // The view to open on is for the switch just made; the next one, wherever it comes from, opens on the brief.
  useEffect(() => {
    setOpening('brief');
  }, [generation]);

  return {
    mode,
    generation,
    opening,
    switching,
    error,
    enter: () => {
      switchTo('demo/enter', 'brief');
    },
    leave: (view = 'brief') => {
      switchTo('demo/leave', view);
    },
  };
}

interface BannerProps {
  state: SampleDayState;
  onSetUp: () => void;
}

/** Above everything while the sample day is shown: what it is, and the way back. */
export function SampleBanner({ state, onSetUp }: BannerProps) {
  if (state.mode?.mode !== 'sample') return null;
  const canLeave = state.mode.canLeave;
  return (
    <section className="banner banner-sample" aria-label="Sample day" data-testid="sample-banner">
      <p>
        <strong>This is a sample day.</strong> Everything in it is made up
        {canLeave ? '; your own brief and settings are not touched.' : ', to show how a brief reads.'}
      </p>
      <div className="banner-actions">
        {canLeave && (
          <button
            type="button"
            className="primary"
            disabled={state.switching}
            onClick={() => {
              state.leave('brief');
            }}
          >
            Back to my brief
          </button>
        )}
        <button type="button" className="link" disabled={state.switching} onClick={onSetUp}>
          Set up my sources
        </button>
      </div>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </section>
  );
}

/** Settings, while the sample day is shown: the user's own are not changed from it. */
export function SampleSettingsNote({ onSetUp }: { onSetUp: () => void }) {
  return (
    <section className="sample-note" aria-label="Settings in the sample day">
      <p>
        The sample day runs on made-up settings of its own, and yours are not changed from it. Leave it to set up your
        location, news feeds and accounts.
      </p>
      <button type="button" className="primary" onClick={onSetUp}>
        Set up my sources
      </button>
    </section>
  );
}

interface WaitingProps {
  refresh: RefreshState;
  onRefresh: () => void;
}

/** The sample day before its first showing: it is written like any brief, in a few seconds. */
export function SampleWaiting({ refresh, onRefresh }: WaitingProps) {
  return (
    <section className="welcome" aria-labelledby="sample-heading">
      <h1 id="sample-heading">The sample day</h1>
      {refresh.error ? (
        <>
          <p>The sample day could not be set out: {refresh.error}</p>
          <button type="button" onClick={onRefresh}>
            Try again
          </button>
        </>
      ) : (
        <p>Setting out a made-up morning of mail, meetings, news and weather. It takes a moment.</p>
      )}
    </section>
  );
}
