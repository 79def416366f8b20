import type { Brief, SourceHealth as Health } from '../client/types.ts';
import { dateTime } from '../format.ts';

/** Each source's last success and error, and for stale data the time it dates from. */
export function SourceHealth({ health, brief }: { health: Health[]; brief: Brief | null }) {
  const timezone = brief?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!health.length) return null;
  return (
    <section className="card health" aria-labelledby="health-heading">
      <h2 id="health-heading">Sources</h2>
      <ul>
        {health.map((source) => {
          const inBrief = brief?.sources.find((s) => s.id === source.id);
          const stale = inBrief?.status === 'stale' || (inBrief?.staleItemCount ?? 0) > 0;
          return (
            <li key={source.id} className={`health-${source.status}`} data-source={source.id}>
              <strong>{source.id}</strong> {source.status}
              {source.lastSuccessAt && <> · last success {dateTime(source.lastSuccessAt, timezone)}</>}
              {stale && inBrief?.dataAsOf && (
                <span className="badge stale"> stale: data as of {dateTime(inBrief.dataAsOf, timezone)}</span>
              )}
              {source.lastError && source.status !== 'ok' && <div className="error">{source.lastError}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
