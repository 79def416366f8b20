import { useEffect, useState } from 'react';
import { errorLine, type ApiResults, type Brief, type DailyBriefClient } from '../client/types.ts';
import { longDate } from '../format.ts';
import { newSince } from '../brief/order.ts';

type Entry = ApiResults['brief/history'][number];

interface Props {
  client: DailyBriefClient;
  latest: Brief | null;
  onOpen: (date: string) => void;
}

/** Earlier briefs by date, and what today's brief has that the one before it did not. */
export function HistoryView({ client, latest, onOpen }: Props) {
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [previous, setPrevious] = useState<Brief | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const run = new AbortController();
    const live = () => !run.signal.aborted;
    (async () => {
      const history = await client['brief/history']({ limit: 60 });
      if (!live()) return;
      setEntries(history);
      const before = history.find((entry) => latest && entry.date < latest.date);
      if (before) {
        const brief = await client['brief/byDate']({ date: before.date });
        if (live()) setPrevious(brief);
      }
    })().catch((failure: unknown) => {
      if (live()) setError(errorLine(failure));
    });
    return () => {
      run.abort();
    };
  }, [client, latest]);

  const fresh = latest ? newSince(latest, previous) : [];
  return (
    <div className="history">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {latest && previous && (
        <section className="card" aria-labelledby="new-heading" data-testid="new-since">
          <h2 id="new-heading">
            New since {longDate(previous.date)}: {fresh.length}
          </h2>
          <ul>
            {fresh.map((item) => (
              <li key={item.id}>{item.title}</li>
            ))}
          </ul>
        </section>
      )}
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">Earlier briefs</h2>
        {entries === null && !error && <p>Loading…</p>}
        {entries?.length === 0 && <p>No briefs yet.</p>}
        <ul className="history-list" data-testid="history-list">
          {entries?.map((entry) => (
            <li key={entry.date}>
              <button
                type="button"
                onClick={() => {
                  onOpen(entry.date);
                }}
              >
                {longDate(entry.date)}
              </button>
              <ul className="history-tldr">
                {entry.tldr.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
