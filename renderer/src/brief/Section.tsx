import type { BriefItem } from '../client/types.ts';
import { ItemCard, type Vote } from './ItemCard.tsx';

export interface ItemListProps {
  timezone: string;
  date: string;
  selectedId: string | undefined;
  newIds: Set<string>;
  onSelect: (itemId: string) => void;
  onVote?: ((itemId: string, vote: Vote) => void) | undefined;
}

export function Section({
  title,
  kind,
  items,
  ...props
}: ItemListProps & { title: string; kind: string; items: BriefItem[] }) {
  const headingId = `section-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className={`section section-${kind}`} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <ul className={kind === 'calendar' ? 'items timeline' : 'items'}>
        {items.map((item) => (
          <ItemCard
            key={item.id}
            item={item}
            timezone={props.timezone}
            date={props.date}
            selected={props.selectedId === item.id}
            isNew={props.newIds.has(item.id)}
            onSelect={props.onSelect}
            onVote={props.onVote}
          />
        ))}
      </ul>
    </section>
  );
}
