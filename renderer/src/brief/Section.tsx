import type { BriefItem } from '../client/types.ts';
import { count } from '../format.ts';
import { ItemCard, type Vote } from './ItemCard.tsx';

export interface ItemListProps {
  timezone: string;
  date: string;
  now: Date;
  selectedId: string | undefined;
  newIds: Set<string>;
  openedIds: Set<string>;
  onSelect: (itemId: string) => void;
  onOpen: (itemId: string) => void;
  onVote?: ((itemId: string, vote: Vote) => void) | undefined;
}

/** A section's items, with those already shown on an earlier day (and unchanged) folded under "Seen before". */
export function Section({
  title,
  kind,
  items,
  ...props
}: ItemListProps & { title: string; kind: string; items: BriefItem[] }) {
  const headingId = `section-${title.replace(/\W+/g, '-').toLowerCase()}`;
  const fresh = items.filter((item) => !item.firstShownOn);
  const seen = items.filter((item) => item.firstShownOn);
  const list = (shown: BriefItem[]) => (
    <ul className={kind === 'calendar' ? 'items timeline' : 'items'}>
      {shown.map((item) => (
        <ItemCard
          key={item.id}
          item={item}
          timezone={props.timezone}
          date={props.date}
          now={props.now}
          selected={props.selectedId === item.id}
          isNew={props.newIds.has(item.id)}
          opened={props.openedIds.has(item.id)}
          onSelect={props.onSelect}
          onOpen={props.onOpen}
          onVote={props.onVote}
        />
      ))}
    </ul>
  );
  return (
    <section className={`section section-${kind}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {list(fresh)}
      {seen.length > 0 && (
        <details className="seen-before">
          <summary>Seen before ({count(seen.length, 'item')})</summary>
          {list(seen)}
        </details>
      )}
    </section>
  );
}
