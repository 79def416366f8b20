import type { Brief, SourceHealth } from '../client/types.ts';
import { dateTime, relativeTime } from '../format.ts';
import { sortNotices } from '../brief/notices.ts';
import { sourceName } from './sourceNames.ts';

const STATE_WORDS: Record<SourceHealth['status'], string> = {
  ok: 'working',
  error: 'failing',
  stale: 'showing earlier data',
  disabled: 'off',
  never: 'not run yet',
};

interface Props {
  health: SourceHealth[];
  brief: Brief | null;
  now: Date;
}

/** Where the details live: each source's health, what wrote the brief, and the technical notes, folded. */
export function StatusView({ health, brief, now }: Props) {
  const timezone = brief?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const technical = brief ? sortNotices(brief).technical : [];
  const generator = brief?.generator;
  return (
    <div className="status-view">
      <h1>Status</h1>
      <section className="section" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources</h2>
        {health.length === 0 && <p className="muted">No source has run yet.</p>}
        <ul className="health">
          {health.map((source) => {
            const inBrief = brief?.sources.find((s) => s.id === source.id);
            const stale = inBrief?.status === 'stale' || (inBrief?.staleItemCount ?? 0) > 0;
            return (
              <li key={source.id} className={`health-${source.status}`} data-source={source.id}>
                <strong>{sourceName(source.id)}</strong> <span className="muted">{STATE_WORDS[source.status]}</span>
                {source.lastSuccessAt && (
                  <div className="muted">
                    Last worked{' '}
                    <time dateTime={source.lastSuccessAt} title={dateTime(source.lastSuccessAt, timezone)}>
                      {relativeTime(source.lastSuccessAt, now)}
                    </time>
                    {stale && inBrief?.dataAsOf && <> · showing data from {dateTime(inBrief.dataAsOf, timezone)}</>}
                  </div>
                )}
                {source.lastError && source.status !== 'ok' && (
                  <details>
                    <summary>What went wrong</summary>
                    <p className="detail">{source.lastError}</p>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      {generator && (
        <section className="section" aria-labelledby="writer-heading">
          <h2 id="writer-heading">Writing</h2>
          <p>
            {generator.mode === 'llm' && generator.model
              ? `The latest brief was written by ${generator.model}.`
              : 'The latest brief was put together without a model.'}
          </p>
          {generator.fallbackReason && (
            <details>
              <summary>Why not by the model</summary>
              <p className="detail">{generator.fallbackReason}</p>
            </details>
          )}
        </section>
      )}
      {technical.length > 0 && (
        <section className="section" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Technical notes</h2>
          <details>
            <summary>{technical.length === 1 ? 'One note' : `${technical.length} notes`}</summary>
            <ul>
              {technical.map((note) => (
                <li key={note} className="detail">
                  {note}
                </li>
              ))}
            </ul>
          </details>
        </section>
      )}
    </div>
  );
}
