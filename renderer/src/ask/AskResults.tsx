import type { ApiResults } from '../client/types.ts';
import { SourceMark } from '../brief/SourceMark.tsx';
import { dateTime, itemDomId, relativeTime, safeHref } from '../format.ts';

export type Citation = ApiResults['ask']['citations'][number];

interface Props {
  citations: Citation[];
  now: Date;
  timezone: string;
  /** Goes to an item of the brief on screen. */
  onJump: (itemId: string) => void;
}

/** The sources of an answer as the brief's own cards: mark, title, where from and when, a line or two of text. */
export function AskResults({ citations, now, timezone, onJump }: Props) {
  return (
    <ol className="items ask-results" aria-label="Sources">
      {citations.map((citation) => (
        <li key={citation.itemId} className="item">
          <SourceMark name={citation.source} />
          <div className="item-body">
            <div className="item-head">
              <CitationTitle citation={citation} onJump={onJump} />
            </div>
            {citation.snippet && <p className="item-snippet">{citation.snippet}</p>}
            <div className="item-meta">
              {citation.source} ·{' '}
              <time dateTime={citation.at} title={dateTime(citation.at, timezone)}>
                {relativeTime(citation.at, now)}
              </time>
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}

/**
 * The title goes to the item when it is on the page, else out to its page (http(s) only, in a new window,
 * without a referrer); with neither, it is plain text. The text is data: JSX escapes it.
 */
function CitationTitle({ citation, onJump }: { citation: Citation; onJump: (itemId: string) => void }) {
  const domId = itemDomId(citation.itemId);
  if (document.getElementById(domId)) {
    return (
      <a
        className="item-title"
        href={`#${domId}`}
        onClick={(event) => {
          event.preventDefault();
          onJump(citation.itemId);
        }}
      >
        {citation.title}
      </a>
    );
  }
  const href = safeHref(citation.url);
  return href ? (
    <a className="item-title" href={href} target="_blank" rel="noopener noreferrer">
      {citation.title}
    </a>
  ) : (
    <span className="item-title">{citation.title}</span>
  );
}
