import { useEffect, useState } from 'react';
import { errorLine, type ApiResults, type Brief, type DailyBriefClient } from '../client/types.ts';

export interface PreviousState {
  history: ApiResults['brief/history'] | null;
  /** The newest brief of the latest date before `latest`'s ("yesterday's", or the last one written). */
  previous: Brief | null;
  error: string | null;
}

export function usePrevious(client: DailyBriefClient, latest: Brief | null, limit = 60): PreviousState {
  const [state, setState] = useState<PreviousState>({ history: null, previous: null, error: null });
  const latestDate = latest?.date;
  const latestId = latest?.id;
  useEffect(() => {
    const run = new AbortController();
    const live = () => !run.signal.aborted;
    (async () => {
      const history = await client['brief/history']({ limit });
      const before = latestDate ? history.find((entry) => entry.date < latestDate) : undefined;
      const previous = before ? await client['brief/byDate']({ date: before.date }) : null;
      if (live()) setState({ history, previous, error: null });
    })().catch((failure: unknown) => {
      if (live()) setState((s) => ({ ...s, error: errorLine(failure) }));
    });
    return () => {
      run.abort();
    };
    // A vote re-ranks the same brief (same id): the history does not change with it.
  }, [client, latestDate, latestId, limit]);
  return state;
}
