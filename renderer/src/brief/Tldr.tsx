import { useEffect } from 'react';
import type { ActionItem, BriefItem, TldrBullet } from '../client/types.ts';
import { dueWords, itemDomId } from '../format.ts';

interface Props {
  bullets: TldrBullet[];
  itemsById: Map<string, BriefItem>;
  onJump: (itemId: string) => void;
}

/** The three lines first, in large type, each linking down to the items it rests on. */
export function Tldr({ bullets, itemsById, onJump }: Props) {
  useEffect(() => {
    // For `npm run bench:ui`: the moment the brief is readable, relative to navigation start.
    if (!performance.getEntriesByName('brief-tldr-visible').length) performance.mark('brief-tldr-visible');
  }, []);
  return (
    <section className="tldr" aria-labelledby="tldr-heading">
      <h2 id="tldr-heading" className="eyebrow">
        In short
      </h2>
      <ol data-testid="brief-tldr">
        {bullets.slice(0, 3).map((bullet) => (
          <li key={bullet.text}>
            {bullet.text} <SourceLinks itemIds={bullet.itemIds} itemsById={itemsById} onJump={onJump} />
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ActionItems({
  actions,
  date,
  itemsById,
  onJump,
}: Omit<Props, 'bullets'> & { actions: ActionItem[]; date: string }) {
  return (
    <section className="section actions-list" aria-labelledby="actions-heading">
      <h2 id="actions-heading">To do</h2>
      <ul>
        {actions.map((action) => (
          <li key={action.text}>
            {action.text}
            {action.due && <span className="due"> · due {dueWords(action.due, date)}</span>}{' '}
            <SourceLinks itemIds={action.itemIds} itemsById={itemsById} onJump={onJump} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function SourceLinks({ itemIds, itemsById, onJump }: Omit<Props, 'bullets'> & { itemIds: string[] }) {
  const items = itemIds.map((id) => itemsById.get(id)).filter((item): item is BriefItem => item !== undefined);
  return (
    <span className="cites">
      {items.map((item, index) => (
        <a
          key={item.id}
          href={`#${itemDomId(item.id)}`}
          aria-label={`Go to source ${index + 1}: ${item.title}`}
          onClick={(event) => {
            event.preventDefault();
            onJump(item.id);
          }}
        >
          {index + 1}
        </a>
      ))}
    </span>
  );
}
