import type { Brief, DailyBriefClient } from '../client/types.ts';
import { longDate } from '../format.ts';
import { newSince } from '../brief/order.ts';
import { usePrevious } from './usePrevious.ts';
import { ErrorLine } from '../StatusLine.tsx';

interface Props {
  client: DailyBriefClient;
  latest: Brief | null;
  onOpen: (date: string) => void;
}

/** Earlier briefs by date, and what today's brief has that the one before it did not. */
export function HistoryView({ client, latest, onOpen }: Props) {
  const { history: entries, previous, error } = usePrevious(client, latest);
  const fresh = latest ? newSince(latest, previous) : [];
  return (
    <div className="history">
      <ErrorLine text={error} />
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
              {entry.tldr[0] && <p className="history-lead">{entry.tldr[0]}</p>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
