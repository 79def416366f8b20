import type { BriefItem } from '../client/types.ts';
import { Icon } from '../ui/Icon.tsx';

export type Vote = 'up' | 'down' | 'mute';

/** What a mute covers, as the service decides it by default: the sender for mail, the feed for news. */
function muteLabel(item: BriefItem): string {
  if (item.kind === 'event') return 'Hide this event';
  if (item.kind === 'email') return `Mute ${item.author ?? item.origin ?? item.source}`;
  return `Mute ${item.origin ?? item.source}`;
}

interface Props {
  item: BriefItem;
  whyOpen: boolean;
  onWhy: (() => void) | undefined;
  onVote: ((itemId: string, vote: Vote) => void) | undefined;
}

/** One quiet row of icon buttons; each has a name a screen reader says and a tooltip that says the same. */
export function ItemActions({ item, whyOpen, onWhy, onVote }: Props) {
  if (!onVote && !onWhy) return null;
  const mute = muteLabel(item);
  return (
    <div className="actions" role="group" aria-label={`Actions for ${item.title.slice(0, 80)}`}>
      {onVote && (
        <>
          <button
            type="button"
            className="icon-button"
            aria-label={`More like this: ${item.title}`}
            title="More like this"
            aria-pressed={item.vote === 'up'}
            onClick={() => {
              onVote(item.id, 'up');
            }}
          >
            <Icon name="more" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Less like this: ${item.title}`}
            title="Less like this"
            aria-pressed={item.vote === 'down'}
            onClick={() => {
              onVote(item.id, 'down');
            }}
          >
            <Icon name="less" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={mute}
            title={mute}
            onClick={() => {
              onVote(item.id, 'mute');
            }}
          >
            <Icon name="mute" />
          </button>
        </>
      )}
      {onWhy && (
        <button
          type="button"
          className="icon-button"
          aria-label="Why this"
          title="Why this"
          aria-expanded={whyOpen}
          onClick={onWhy}
        >
          <Icon name="why" />
        </button>
      )}
    </div>
  );
}
