import type { BriefItem } from '../client/types.ts';
import { clockTime, itemDomId, localDate, safeHref } from '../format.ts';

export type Vote = 'up' | 'down' | 'mute';

interface Props {
  item: BriefItem;
  timezone: string;
  /** The brief's own date: an event on another day shows its weekday. */
  date: string;
  selected: boolean;
  isNew: boolean;
  onSelect: (itemId: string) => void;
  /** Absent when feedback is not available (a past brief, or no feedback call). */
  onVote?: ((itemId: string, vote: Vote) => void) | undefined;
}

/** Feed text is data: React escapes it, and links go out only as http(s), in a new window, without a referrer. */
export function ItemCard({ item, timezone, date, selected, isNew, onSelect, onVote }: Props) {
  const href = safeHref(item.url);
  const reasons = reasonsOf(item);
  const when = item.start ? timeSpan(item.start, item.end, timezone, date) : '';
  return (
    <li
      id={itemDomId(item.id)}
      className={`item${selected ? ' selected' : ''}`}
      data-testid="brief-item"
      data-item-id={item.id}
      tabIndex={-1}
      aria-current={selected ? 'true' : undefined}
      onFocus={() => {
        onSelect(item.id);
      }}
    >
      <div className="item-head">
        {when && <span className="item-time">{when}</span>}
        {href ? (
          <a className="item-title" href={href} target="_blank" rel="noopener noreferrer">
            {item.title}
          </a>
        ) : (
          <span className="item-title">{item.title}</span>
        )}
        {isNew && <span className="badge new">new</span>}
        {item.stale && <span className="badge stale">stale</span>}
      </div>
      <div className="item-meta">{[item.origin ?? item.source, item.author].filter(Boolean).join(' · ')}</div>
      {item.snippet && <p className="item-snippet">{item.snippet}</p>}
      {reasons.length > 0 && (
        <details className="why">
          <summary>Why this</summary>
          <ul>
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </details>
      )}
      {onVote && <VoteButtons item={item} onVote={onVote} />}
    </li>
  );
}

// Words, not emoji: a Linux desktop without an emoji font would show empty boxes. "+" and "−" are also the keys.
const VOTES = [
  { action: 'up', text: '+ More', label: 'More like this' },
  { action: 'down', text: '− Less', label: 'Less like this' },
] as const;

/** What a mute covers, as the service decides it by default: the sender for mail and meetings, the feed for news. */
function muteTarget(item: BriefItem): string {
  if (item.kind === 'email' || item.kind === 'event') return `sender ${item.author ?? item.origin ?? item.source}`;
  return `feed ${item.origin ?? item.source}`;
}

function VoteButtons({ item, onVote }: { item: BriefItem; onVote: (itemId: string, vote: Vote) => void }) {
  return (
    <div className="votes" role="group" aria-label={`Feedback on ${item.title}`}>
      {VOTES.map((vote) => (
        <button
          key={vote.action}
          type="button"
          aria-label={`${vote.label}: ${item.title}`}
          aria-pressed={item.vote === vote.action}
          onClick={() => {
            onVote(item.id, vote.action);
          }}
        >
          {vote.text}
        </button>
      ))}
      <button
        type="button"
        aria-label={`Mute ${muteTarget(item)}`}
        title={`Hide everything from this ${muteTarget(item).split(' ')[0] ?? 'source'} until you unmute it`}
        onClick={() => {
          onVote(item.id, 'mute');
        }}
      >
        Mute
      </button>
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
  const weekday =
    localDate(at, timezone) === date
      ? ''
      : `${new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short' }).format(at)} `;
  return `${weekday}${clockTime(start, timezone)}${end ? `–${clockTime(end, timezone)}` : ''}`;
}
