import { useState, type ReactNode } from 'react';
import type { BriefItem } from '../client/types.ts';
import { clockTime, count, dateTime, itemDomId, localDate, relativeTime, safeHref, shortWeekday } from '../format.ts';
import { Icon } from '../ui/Icon.tsx';
import { ItemActions, type Vote } from './ItemActions.tsx';
import { SourceMark } from './SourceMark.tsx';

export type { Vote } from './ItemActions.tsx';

interface Props {
  item: BriefItem;
  timezone: string;
  /** The brief's own date: an event on another day shows its weekday. */
  date: string;
  now: Date;
  selected: boolean;
  isNew: boolean;
  opened: boolean;
  onSelect: (itemId: string) => void;
  onOpen: (itemId: string) => void;
  /** Absent when feedback is not available (a past brief, or no feedback call). */
  onVote?: ((itemId: string, vote: Vote) => void) | undefined;
}

/** Feed text is data: JSX escapes it, and links go out only as http(s), in a new window, without a referrer. */
export function ItemCard({ item, timezone, date, now, selected, isNew, opened, onSelect, onOpen, onVote }: Props) {
  const [whyOpen, setWhyOpen] = useState(false);
  const href = safeHref(item.url);
  const reasons = reasonsOf(item);
  const source = item.origin ?? item.source;
  const classes = ['item', selected && 'selected', opened && 'opened'].filter(Boolean).join(' ');
  return (
    <li
      id={itemDomId(item.id)}
      className={classes}
      data-testid="brief-item"
      data-item-id={item.id}
      tabIndex={-1}
      aria-current={selected ? 'true' : undefined}
      // focusin, not focus: Tab onto one of the card's buttons selects the card too, so a key acts on it.
      onFocusIn={() => {
        onSelect(item.id);
      }}
    >
      {item.kind !== 'event' && <SourceMark name={item.kind === 'email' ? (item.author ?? source) : source} />}
      <div className="item-body">
        <div className="item-head">
          {item.start && <span className="item-time">{timeSpan(item.start, item.end, timezone, date)}</span>}
          {href ? (
            <a
              className="item-title"
              href={href}
              target="_blank"
              rel="noopener noreferrer"
              onClick={() => {
                onOpen(item.id);
              }}
            >
              {item.title}
            </a>
          ) : (
            <span className="item-title">{item.title}</span>
          )}
          {isNew && (
            <span className="badge new" title="New since your last visit">
              New
            </span>
          )}
          {item.stale && (
            <span
              className="badge stale"
              title="The source could not be reached this time: this is from an earlier fetch"
            >
              from earlier
            </span>
          )}
          {item.updated && <span className="badge updated">{item.change ? `Updated: ${item.change}` : 'Updated'}</span>}
        </div>
        {item.snippet && item.kind !== 'event' && <p className="item-snippet">{item.snippet}</p>}
        {item.related && item.related.length > 0 && (
          <ul className="related" aria-label="Before this meeting">
            {item.related.map((related) => (
              <li key={related.id}>
                {related.title} <span className="muted">· {related.why}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="item-foot">
          <Meta item={item} timezone={timezone} now={now} />
          <ItemActions
            item={item}
            whyOpen={whyOpen}
            onVote={onVote}
            onWhy={
              reasons.length
                ? () => {
                    setWhyOpen((open) => !open);
                  }
                : undefined
            }
          />
        </div>
        {whyOpen && (
          <ul className="why" aria-label="Why this">
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

/** Source, sender, age, and for Hacker News its points and a link to the discussion: one small grey line. */
function Meta({ item, timezone, now }: { item: BriefItem; timezone: string; now: Date }) {
  const parts: ReactNode[] = [];
  if (item.kind !== 'event') parts.push(item.origin ?? item.source);
  if (item.author && item.author !== item.origin) parts.push(item.author);
  if (item.publishedAt && item.kind !== 'event') {
    parts.push(
      <time dateTime={item.publishedAt} title={dateTime(item.publishedAt, timezone)}>
        {relativeTime(item.publishedAt, now)}
      </time>,
    );
  }
  // A meeting's clock time is already there; "in 2 hr" adds something only before it starts.
  if (item.start && item.kind === 'event' && Date.parse(item.start) > now.getTime()) {
    parts.push(
      <time dateTime={item.start} title={dateTime(item.start, timezone)}>
        {relativeTime(item.start, now)}
      </time>,
    );
  }
  const meta = item.meta ?? {};
  if (typeof meta.score === 'number') parts.push(count(meta.score, 'point'));
  const discussion = safeHref(typeof meta.hnUrl === 'string' ? meta.hnUrl : undefined);
  if (typeof meta.comments === 'number') {
    parts.push(
      discussion ? (
        <a className="discussion" href={discussion} target="_blank" rel="noopener noreferrer">
          <Icon name="comment" size={14} /> {count(meta.comments, 'comment')}
        </a>
      ) : (
        count(meta.comments, 'comment')
      ),
    );
  }
  if (item.alsoFrom?.length) {
    const names = item.alsoFrom.map((other) => other.origin ?? other.title);
    parts.push(<span title={`Also in ${names.join(', ')}`}>also in {count(item.alsoFrom.length, 'source')}</span>);
  }
  if (!parts.length) return null;
  return (
    <div className="item-meta">
      {parts.map((part, index) => (
        // The parts are a fixed sequence for one item; their position is their identity.
        <span key={index}>
          {index > 0 && ' · '}
          {part}
        </span>
      ))}
    </div>
  );
}

/** "Why this" in words: the ranker's reasons when it gives them, and the model's line on why it matters. */
function reasonsOf(item: BriefItem): string[] {
  const reasons = item.reasons ?? [];
  return item.why ? [...reasons, item.why] : reasons;
}

function timeSpan(start: string, end: string | undefined, timezone: string, date: string): string {
  const at = new Date(start);
  const weekday = localDate(at, timezone) === date ? '' : `${shortWeekday(at, timezone)} `;
  return `${weekday}${clockTime(start, timezone)}${end ? `–${clockTime(end, timezone)}` : ''}`;
}
