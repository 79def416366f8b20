import { useCallback, useEffect, useRef, useState } from 'react';
import { errorLine, type Brief, type DailyBriefClient, type SourceHealth } from './client/types.ts';
import { localDate } from './format.ts';
import { foldProgress, IDLE, type RefreshState } from './status/RefreshBar.tsx';

/** A brief written for an earlier day than today (in its own zone) is refreshed in the background. */
export function isStale(brief: Brief, now: Date): boolean {
  return brief.date < localDate(now, brief.timezone);
}

export interface BriefState {
  brief: Brief | null;
  /** False only until the cached brief has been read (one SQLite read: no spinner when a brief exists). */
  loaded: boolean;
  health: SourceHealth[];
  refresh: RefreshState;
  error: string | null;
  startRefresh: () => void;
  setBrief: (brief: Brief | null) => void;
}

/**
 * With no brief at all, whether to write one at once: yes for the sample day, and once the user's settings were
 * saved; a fresh install waits on its welcome instead of writing a brief from the defaults.
 */
async function firstBriefWanted(client: DailyBriefClient): Promise<boolean> {
  const [mode, settings] = await Promise.all([
    client['demo/status']({}).catch(() => null),
    client['settings/get']({}).catch(() => null),
  ]);
  return mode?.mode === 'sample' || settings?.saved === true;
}

export function useBrief(
  client: DailyBriefClient,
  now: () => Date,
  cached?: Promise<Brief | null>,
  first?: { brief: Brief | null },
): BriefState {
  const [brief, setBrief] = useState<Brief | null>(first?.brief ?? null);
  const [loaded, setLoaded] = useState(first !== undefined);
  const [health, setHealth] = useState<SourceHealth[]>([]);
  const [refresh, setRefresh] = useState<RefreshState>(IDLE);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const clock = useRef(now);
  const pending = useRef(cached);

  const reloadHealth = useCallback(() => {
    client['sources/status']({}).then(setHealth, () => undefined);
  }, [client]);

  const startRefresh = useCallback(() => {
    if (running.current) return;
    running.current = true;
    setRefresh({ ...IDLE, running: true, phase: 'starting' });
    client
      .refresh({ trigger: 'ui' })
      .then(
        (fresh) => {
          setBrief(fresh);
          setRefresh((state) => ({ ...state, running: false, phase: 'done' }));
        },
        (failure: unknown) => {
          setRefresh((state) => ({ ...state, running: false, error: errorLine(failure) }));
        },
      )
      .finally(() => {
        running.current = false;
        reloadHealth();
      });
  }, [client, reloadHealth]);

  useEffect(() => {
    const off = client.onEvent((event) => {
      setRefresh((state) => foldProgress(state, event));
      // A refresh someone else started (the schedule, the tray, another window) lands here too.
      if (event.type === 'brief-ready' && !running.current) {
        client['brief/latest']({}).then(setBrief, () => undefined);
        reloadHealth();
      }
    });
    let live = true;
    (pending.current ?? client['brief/latest']({})).then(
      (latest) => {
        if (!live) return;
        setBrief(latest);
        setLoaded(true);
        if (latest) {
          if (isStale(latest, clock.current())) startRefresh();
        } else {
          void firstBriefWanted(client).then((wanted) => {
            if (live && wanted) startRefresh();
          });
        }
      },
      (failure: unknown) => {
        if (!live) return;
        setLoaded(true);
        setError(errorLine(failure));
      },
    );
    reloadHealth();
    return () => {
      live = false;
      off();
    };
  }, [client, startRefresh, reloadHealth]);

  return { brief, loaded, health, refresh, error, startRefresh, setBrief };
}
